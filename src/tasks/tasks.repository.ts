import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DirectQueries } from 'src/database/direct-queries';
import { OwnedRepository } from 'src/database/entity-repository';
import { Task } from 'src/tasks/task.entity';

/** Tasks, always by owner; the list is the hot path's page read (OwnedRepository.pageOwned). */
@Injectable()
export class TasksRepository extends OwnedRepository<Task> {
  constructor(@InjectRepository(Task) tasks: Repository<Task>, direct: DirectQueries) {
    super(tasks, direct);
  }
}
