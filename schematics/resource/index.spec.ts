import { SchematicTestRunner, UnitTestTree } from '@angular-devkit/schematics/testing';
import { HostTree } from '@angular-devkit/schematics';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const runner = new SchematicTestRunner('task-api', join(root, 'schematics', 'collection.json'));
// Prettier 3 loads its core as an ES module, which Jest's module loader cannot: the
// output is checked unformatted here, and formatted and linted by CI (.ci/run).
const run = (schematic: string, options: Record<string, unknown>) =>
  runner.runSchematic(schematic, { ...options, skipFormat: true }, repositoryTree());

/** A tree holding the two files the schematics edit, as they are in the repository. */
function repositoryTree(): UnitTestTree {
  const tree = new UnitTestTree(new HostTree());
  for (const path of ['src/app.module.ts', 'test/access.e2e-spec.ts'])
    tree.create(path, readFileSync(join(root, path), 'utf8'));
  return tree;
}

describe('nest g owned-resource / catalogue-resource', () => {
  it('owned-resource notes: a whole owner-scoped feature, registered, migrated, in the access table', async () => {
    const tree = await run('owned-resource', { name: 'notes', timestamp: 1800000000000 });
    expect(tree.files.filter((f) => !['/src/app.module.ts', '/test/access.e2e-spec.ts'].includes(f)).sort()).toEqual([
      '/src/database/migrations/1800000000000-CreateNotes.ts',
      '/src/notes/dto/create-note.dto.ts',
      '/src/notes/dto/note-response.ts',
      '/src/notes/dto/update-note.dto.ts',
      '/src/notes/note.entity.ts',
      '/src/notes/notes.controller.ts',
      '/src/notes/notes.module.ts',
      '/src/notes/notes.repository.ts',
      '/src/notes/notes.service.ts',
      '/test/notes.e2e-spec.ts',
    ]);
    const app = tree.readContent('/src/app.module.ts');
    expect(app).toContain("import { NotesModule } from 'src/notes/notes.module';");
    expect(app).toMatch(/imports: \[[\s\S]*TasksModule,[\s\S]*NotesModule,\s*\]/);
    expect(tree.readContent('/src/notes/notes.repository.ts')).toContain('extends OwnedRepository<Note>');
    const service = tree.readContent('/src/notes/notes.service.ts');
    for (const call of ['pageOwned(userId', 'findOwned(userId', 'updateOwned(userId', 'deleteOwned(userId'])
      expect(service).toContain(call);
    expect(service).not.toMatch(/createQueryBuilder|\.query\(|InjectRepository/);
    const entity = tree.readContent('/src/notes/note.entity.ts');
    expect(entity).toContain("@Entity('notes')");
    expect(entity).toContain("@Index('IDX_notes_user_id_id', ['userId', 'id'])");
    const migration = tree.readContent('/src/database/migrations/1800000000000-CreateNotes.ts');
    expect(migration).toContain('export class CreateNotes1800000000000 implements MigrationInterface');
    expect(migration).toContain("referencedTableName: 'users'");
    const create = tree.readContent('/src/notes/dto/create-note.dto.ts');
    expect(create).toContain('export const NAME_MAX = 200;');
    expect(create).toMatch(
      /@ApiProperty\(\{ minLength: 1, maxLength: NAME_MAX \}\)\s+@IsString\(\)\s+@Length\(1, NAME_MAX\)\s+name: string;/,
    );
    // Documented as issue 11 wants: response class, operationIds, typed handlers.
    const controller = tree.readContent('/src/notes/notes.controller.ts');
    expect(controller).toContain("@ApiTags('notes')");
    expect(controller).toContain("@ReturnsPage(NoteResponse, { id: 'listNotes'");
    for (const id of ['createNote', 'getNote', 'updateNote'])
      expect(controller).toContain(`@Returns(NoteResponse, { id: '${id}'`);
    expect(controller).toContain("@ReturnsNothing({ id: 'deleteNote'");
    expect(controller).toContain('): Promise<Page<NoteResponse>> {');
    expect(tree.readContent('/src/notes/dto/note-response.ts')).toMatch(
      /export class NoteResponse \{\s+@ApiProperty\(/,
    );
    const access = tree.readContent('/test/access.e2e-spec.ts');
    for (const route of ['GET /api/notes', 'POST /api/notes']) expect(access).toContain(`'${route}': { who: 'user'`);
    for (const route of ['GET /api/notes/:id', 'PATCH /api/notes/:id', 'DELETE /api/notes/:id'])
      expect(access).toMatch(new RegExp(`'${route}': \\{\\s*who: 'owner'`));
    const spec = tree.readContent('/test/notes.e2e-spec.ts');
    for (const title of [
      '404, exactly like a missing one',
      'X-Total-Count and Link',
      'with 400',
      'anonymous callers with 401',
    ])
      expect(spec).toContain(title);
    // House style: the `src/` alias, never a relative import into src.
    for (const file of tree.files.filter((f) => f.startsWith('/src/notes/')))
      expect(tree.readContent(file)).not.toMatch(/from '\.\.?\//);
  });

  it('catalogue-resource widgets: read by every user, written by admins', async () => {
    const tree = await run('catalogue-resource', { name: 'widgets' });
    expect(tree.files).toContain('/src/widgets/widgets.repository.ts');
    expect(tree.readContent('/src/widgets/widgets.repository.ts')).toContain('extends EntityRepository<Widget>');
    expect(tree.readContent('/src/widgets/widget.entity.ts')).not.toContain('userId');
    expect(tree.readContent('/src/widgets/widgets.controller.ts').match(/@Roles\(\[Role\.Admin\]\)/g)).toHaveLength(3);
    const access = tree.readContent('/test/access.e2e-spec.ts');
    expect(access).toContain("'GET /api/widgets': { who: 'user' }");
    expect(access).toContain("'POST /api/widgets': { who: 'admin'");
    expect(tree.readContent('/test/widgets.e2e-spec.ts')).toContain('only an admin writes');
  });

  it('refuses a singular or malformed name, and changes nothing', async () => {
    await expect(run('owned-resource', { name: 'note' })).rejects.toThrow(/plural/);
    await expect(run('owned-resource', { name: 'Bad_Name' })).rejects.toThrow();
  });
});
