import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { bigintNumber } from 'src/common/dto/money';

@Entity('products')
export class Product {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description: string | null;

  /** Exact money: integer cents (1,000,000,000.00 needs more than 32 bits). */
  @Column({ name: 'price_cents', type: 'bigint', transformer: bigintNumber })
  priceCents: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;

  /** 1 on insert, +1 on every update (TypeORM adds it to each UPDATE): the ETag. */
  @VersionColumn()
  version: number;
}
