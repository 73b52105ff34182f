import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** A personal access token: only its keyed hash is stored, never the secret. */
@Entity('personal_access_tokens')
@Index('IDX_personal_access_tokens_user_id', ['userId'])
export class PersonalAccessToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'integer' })
  userId: number;

  // Named, not imported: users/ sits above tokens/ in the folder graph (eslint.config.mjs).
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: object;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** HMAC-SHA256 of the secret under PAT_HASH_KEY, hex. */
  @Index('UQ_personal_access_tokens_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  /** Space-separated scopes. */
  @Column({ type: 'varchar', length: 200 })
  scopes: string;

  @Column({ name: 'created_at' })
  createdAt: Date;

  @Column({ name: 'expires_at' })
  expiresAt: Date;

  @Column({ name: 'last_used_at', nullable: true, type: Date })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', nullable: true, type: Date })
  revokedAt: Date | null;
}
