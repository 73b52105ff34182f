import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** A login: the refresh-token family and every access token it issued carry its id as `sid`. */
@Entity('sessions')
@Index('IDX_sessions_user_id', ['userId'])
@Index('IDX_sessions_expires_at', ['expiresAt'])
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  // Named, not imported: users/ sits above sessions/ in the folder graph (eslint.config.mjs).
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: object;

  /** SHA-256 of the `jti` of the only refresh token that may still be used. */
  @Column({ name: 'refresh_jti_hash', type: 'varchar', length: 64 })
  refreshJtiHash: string;

  @Column({ name: 'created_at' })
  createdAt: Date;

  @Column({ name: 'last_used_at' })
  lastUsedAt: Date;

  @Column({ name: 'expires_at' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', nullable: true, type: Date })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 64 })
  ip: string;

  @Column({ name: 'user_agent', type: 'varchar', length: 512 })
  userAgent: string;
}
