import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One caller's Idempotency-Key on one route, and once finished the answer every retry gets. */
@Entity('idempotency_keys')
@Index('UQ_idempotency_keys_user_route_key', ['userId', 'route', 'key'], { unique: true })
@Index('IDX_idempotency_keys_created_at', ['createdAt'])
export class IdempotencyKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  /** Method and route pattern, e.g. `POST /api/tasks`: one key may serve several routes. */
  @Column({ type: 'varchar', length: 100 })
  route: string;

  @Column({ type: 'varchar', length: 255 })
  key: string;

  /** SHA-256 of the canonical JSON of the request body. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash: string;

  /** Null while the first request with this key runs. */
  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
