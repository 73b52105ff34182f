// @ts-check
// `nest g owned-resource <name>` and `nest g catalogue-resource <name>` (nest-cli.json
// points the CLI at this collection, which extends @nestjs/schematics). Plain
// CommonJS: the schematics CLI loads factories with require(), without a build.
const { strings } = require('@angular-devkit/core');
const {
  SchematicsException,
  apply,
  applyTemplates,
  chain,
  mergeWith,
  move,
  url,
} = require('@angular-devkit/schematics');
const pluralize = require('pluralize');

const APP_MODULE = 'src/app.module.ts';
const ACCESS_SPEC = 'test/access.e2e-spec.ts';

/** The names every template uses, from the plural kebab-case name (e.g. `shopping-lists`). */
function names(options, owned, tree) {
  const plural = strings.dasherize(options.name);
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(plural)) {
    throw new SchematicsException(`"${options.name}" is not a kebab-case name such as notes or shopping-lists`);
  }
  const singular = pluralize.singular(plural);
  if (singular === plural) throw new SchematicsException(`Give the plural name ("${pluralize.plural(plural)}")`);
  // After every existing migration, so TypeORM's timestamp order runs it last.
  const latest = Math.max(
    0,
    ...tree.getDir('src/database/migrations').subfiles.map((file) => Number(/^(\d+)-/.exec(file)?.[1] ?? 0)),
  );
  const timestamp = options.timestamp ?? Math.max(Date.now(), latest + 1);
  return {
    owned,
    plural, // folder, route, e2e spec: notes
    singular, // files: note.entity.ts
    Plural: strings.classify(plural), // NotesService
    Singular: strings.classify(singular), // Note
    pluralCamel: strings.camelize(plural), // notes (a variable)
    table: strings.underscore(plural), // notes
    label: strings.capitalize(singular.replace(/-/g, ' ')), // "Note not found"
    timestamp,
  };
}

/** A feature's files from the templates, the module registered in the app, its rows in the access table. */
function resource(owned) {
  return (options) => {
    return (tree) => {
      const n = names(options, owned, tree);
      return chain([
        mergeWith(apply(url('./files'), [applyTemplates({ ...n }), move('.')])),
        registerModule(n),
        addAccessRows(n),
        options.skipFormat ? (tree) => tree : format(),
      ]);
    };
  };
}

/** `src/app.module.ts`: the import, and the module at the end of @Module's imports. */
function registerModule(n) {
  return (tree) => {
    const source = read(tree, APP_MODULE);
    const moduleClass = `${n.Plural}Module`;
    if (source.includes(moduleClass)) return tree;
    const lastImport = [...source.matchAll(/^import .*;$/gm)].at(-1);
    const importsAt = source.indexOf('imports: [');
    if (!lastImport || importsAt < 0) throw new SchematicsException(`${APP_MODULE}: no imports to extend`);
    const close = matching(source, importsAt + 'imports: '.length);
    const withModule = `${source.slice(0, close).trimEnd()}\n    ${moduleClass},\n  ${source.slice(close)}`;
    const at = lastImport.index + lastImport[0].length;
    tree.overwrite(
      APP_MODULE,
      `${withModule.slice(0, at)}\nimport { ${moduleClass} } from 'src/${n.plural}/${n.plural}.module';${withModule.slice(at)}`,
    );
    return tree;
  };
}

/** `test/access.e2e-spec.ts`: who may call each new route, before the table's closing brace. */
function addAccessRows(n) {
  return (tree) => {
    const source = read(tree, ACCESS_SPEC);
    const path = `/api/${n.plural}`;
    if (source.includes(`'GET ${path}'`)) return tree;
    const tableAt = source.indexOf('const ACCESS');
    if (tableAt < 0) throw new SchematicsException(`${ACCESS_SPEC}: no ACCESS table`);
    const close = matching(source, source.indexOf('= {', tableAt) + 2);
    const body = `{ name: 'Access check' }`;
    const rows = n.owned
      ? [
          `'GET ${path}': { who: 'user' },`,
          `'POST ${path}': { who: 'user', prepare: () => ({ body: ${body} }) },`,
          ...['GET', 'PATCH', 'DELETE'].map(
            (method) =>
              `'${method} ${path}/:id': { who: 'owner', prepare: async ({ itemOf }, token) => ` +
              `({ url: \`${path}/\${await itemOf('${path}', ${body}, token)}\`${method === 'PATCH' ? `, body: ${body}` : ''} }) },`,
          ),
        ]
      : [
          `'GET ${path}': { who: 'user' },`,
          `'GET ${path}/:id': { who: 'user', prepare: async ({ itemOf }) => ({ url: \`${path}/\${await itemOf('${path}', ${body})}\` }) },`,
          `'POST ${path}': { who: 'admin', prepare: () => ({ body: ${body} }) },`,
          ...['PATCH', 'DELETE'].map(
            (method) =>
              `'${method} ${path}/:id': { who: 'admin', prepare: async ({ itemOf }) => ` +
              `({ url: \`${path}/\${await itemOf('${path}', ${body})}\`${method === 'PATCH' ? `, body: ${body}` : ''} }) },`,
          ),
        ];
    tree.overwrite(ACCESS_SPEC, `${source.slice(0, close).trimEnd()}\n  ${rows.join('\n  ')}\n${source.slice(close)}`);
    return tree;
  };
}

/** Prettier with the repository's settings on every file written, so the result passes `npm run lint` as it is. */
function format() {
  return async (tree) => {
    // Loaded here: prettier 3 loads its core as an ES module, which Jest's module loader cannot (see skipFormat).
    const prettier = require('prettier');
    const config = (await prettier.resolveConfig(`${process.cwd()}/${APP_MODULE}`)) ?? {};
    const paths = new Set();
    tree.actions.forEach((action) => {
      if (action.path.endsWith('.ts')) paths.add(action.path.replace(/^\//, ''));
    });
    for (const path of paths) {
      if (tree.exists(path))
        tree.overwrite(path, await prettier.format(read(tree, path), { ...config, filepath: path }));
    }
    return tree;
  };
}

function read(tree, path) {
  const buffer = tree.read(path);
  if (!buffer) throw new SchematicsException(`${path} not found: run this in the repository's root`);
  return buffer.toString('utf8');
}

/** The index of the bracket closing the one at `open` (the source has no brackets inside strings there). */
function matching(source, open) {
  const pairs = { '[': ']', '{': '}', '(': ')' };
  const stack = [];
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c in pairs) stack.push(pairs[c]);
    else if (c === stack.at(-1)) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  throw new SchematicsException('unbalanced brackets');
}

exports.ownedResource = resource(true);
exports.catalogueResource = resource(false);
