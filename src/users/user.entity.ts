import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Role } from 'src/auth/role.enum';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  /** As the user typed it at registration. */
  @Column({ type: 'varchar', length: 32 })
  username: string;

  /** Lower-cased username: unique, so `Alice` and `alice` are one user. */
  @Index('UQ_users_username_key', { unique: true })
  @Column({ name: 'username_key', type: 'varchar', length: 32 })
  usernameKey: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 60 })
  passwordHash: string;

  /** True when password_hash is of the NFKC-normalised password; false for one made before (replaced at the next login). */
  @Column({ name: 'password_normalized', type: 'boolean', default: false })
  passwordNormalized: boolean;

  @Column({ type: 'varchar', length: 16, default: Role.User })
  role: Role;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
