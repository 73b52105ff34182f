import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A stored security event. No foreign keys: the record of what happened to a
 * user outlives the user (a `user.deleted` event names one that is gone).
 */
@Entity('audit_events')
@Index('IDX_audit_events_user_id_created_at', ['userId', 'createdAt'])
@Index('IDX_audit_events_created_at', ['createdAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 40 })
  type: string;

  /** Who acted: the signed-in caller, an admin acting on another user, or null (anonymous). */
  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId: number | null;

  /** The user the event is about, when known. */
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  @Column({ type: 'varchar', length: 64 })
  ip: string;

  @Column({ name: 'user_agent', type: 'varchar', length: 512 })
  userAgent: string;

  @Column({ name: 'request_id', type: 'varchar', length: 64 })
  requestId: string;

  /** Event-specific fields (session or token id, old and new role, username tried) as JSON text. */
  @Column({ type: 'varchar', length: 2000 })
  details: string;

  @Column({ name: 'created_at' })
  createdAt: Date;
}
