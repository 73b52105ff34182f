import { Task } from 'src/tasks/task.entity';

export interface TaskResponse {
  id: number;
  title: string;
  description: string | null;
  done: boolean;
  user_id: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export function toTaskResponse(t: Task): TaskResponse {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    done: t.done,
    user_id: t.userId,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
    version: t.version,
  };
}
