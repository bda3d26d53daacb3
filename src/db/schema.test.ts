// schema.ts is a hand-kept copy of migrations/*.sql as Kysely row types. This test migrates a
// fresh database, reads its columns from information_schema, reads schema.ts with the
// TypeScript compiler, and says where the two disagree: a table or column on one side only,
// nullability, the TypeScript type of an SQL type, and whether an insert may leave a column
// out (only where SQL has a default for it).
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';

/** What a column's type admits when read (select) and inserted, as type families: 'string'
 * stands for string literals too, 'object' for Record<string, unknown>, and an array is its
 * element's family with '[]'. (Update types are not checked.) */
interface ColumnTypes {
  select: Set<string>;
  insert: Set<string>;
}

interface SqlColumn {
  table_name: string;
  column_name: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
}

// The TypeScript families each SQL type may be read as (node-postgres with the parsers of
// database.ts: int8 as bigint, date as 'YYYY-MM-DD', numeric as its exact text).
const familiesOfSqlType: Record<string, string[]> = {
  text: ['string'],
  varchar: ['string'],
  bpchar: ['string'],
  int8: ['bigint'],
  int4: ['number'],
  int2: ['number'],
  bool: ['boolean'],
  timestamptz: ['Date'],
  date: ['string'],
  numeric: ['string'],
  // schema.ts reads jsonb as an object or a list and writes it as JSON text.
  jsonb: ['object', 'unknown[]'],
  bytea: ['Buffer'],
  // node-postgres and PGlite read an address as its text ("127.0.0.1", "::1").
  inet: ['string'],
};

function familiesOf(udtName: string): string[] | undefined {
  if (udtName.startsWith('_')) return familiesOfSqlType[udtName.slice(1)]?.map((family) => `${family}[]`);
  return familiesOfSqlType[udtName];
}

/** Reads schema.ts: its type aliases, and the properties of each interface. */
function readSchemaFile(text: string) {
  const file = ts.createSourceFile('schema.ts', text, ts.ScriptTarget.Latest, true);
  const aliases = new Map<string, ts.TypeNode>();
  const interfaces = new Map<string, Map<string, ts.TypeNode>>();
  for (const statement of file.statements) {
    if (ts.isTypeAliasDeclaration(statement)) aliases.set(statement.name.text, statement.type);
    if (ts.isInterfaceDeclaration(statement)) {
      const properties = new Map<string, ts.TypeNode>();
      for (const member of statement.members) {
        if (ts.isPropertySignature(member) && member.type) properties.set(member.name.getText(file), member.type);
      }
      interfaces.set(statement.name.text, properties);
    }
  }
  return { aliases, interfaces };
}

const same = (families: Set<string>): ColumnTypes => ({ select: families, insert: families });
const union = (parts: ColumnTypes[]): ColumnTypes => ({
  select: new Set(parts.flatMap((part) => [...part.select])),
  insert: new Set(parts.flatMap((part) => [...part.insert])),
});

const keywordFamilies: Partial<Record<ts.SyntaxKind, string[]>> = {
  [ts.SyntaxKind.StringKeyword]: ['string'],
  [ts.SyntaxKind.NumberKeyword]: ['number'],
  [ts.SyntaxKind.BigIntKeyword]: ['bigint'],
  [ts.SyntaxKind.BooleanKeyword]: ['boolean'],
  [ts.SyntaxKind.UnknownKeyword]: ['unknown'],
  [ts.SyntaxKind.UndefinedKeyword]: ['undefined'],
  [ts.SyntaxKind.NeverKeyword]: [],
};

/** Resolves a column's type through the aliases schema.ts defines and Kysely's ColumnType
 * and Generated; anything else it does not know is an error, not a guess. */
function columnTypes(node: ts.TypeNode, aliases: Map<string, ts.TypeNode>): ColumnTypes {
  const plain = (inner: ts.TypeNode) => columnTypes(inner, aliases).select;
  if (ts.isParenthesizedTypeNode(node)) return columnTypes(node.type, aliases);
  if (ts.isUnionTypeNode(node)) return union(node.types.map((member) => columnTypes(member, aliases)));
  if (ts.isArrayTypeNode(node)) return same(new Set([...plain(node.elementType)].map((family) => `${family}[]`)));
  if (ts.isLiteralTypeNode(node)) {
    if (node.literal.kind === ts.SyntaxKind.NullKeyword) return same(new Set(['null']));
    if (ts.isStringLiteral(node.literal)) return same(new Set(['string']));
  }
  const keyword = keywordFamilies[node.kind];
  if (keyword) return same(new Set(keyword));
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
    const name = node.typeName.text;
    const args = node.typeArguments ?? [];
    if (name === 'ColumnType') return { select: plain(args[0]!), insert: plain(args[1]!) };
    if (name === 'Generated') return { select: plain(args[0]!), insert: new Set([...plain(args[0]!), 'undefined']) };
    if (name === 'Date') return same(new Set(['Date']));
    if (name === 'Buffer') return same(new Set(['Buffer']));
    if (name === 'Record') return same(new Set(['object']));
    const alias = aliases.get(name);
    if (alias) return columnTypes(alias, aliases);
  }
  throw new Error(`schema.ts: cannot read the type ${node.getText()}`);
}

const listed = (families: Iterable<string>) => [...families].sort().join(' | ') || 'never';

/** What is wrong with one column of schema.ts, compared with the migrated database. */
function columnMismatches(column: SqlColumn, types: ColumnTypes): string[] {
  const found: string[] = [];
  const nullable = column.is_nullable === 'YES';
  if (nullable !== types.select.has('null')) {
    found.push(nullable ? 'nullable in SQL, but its type does not admit null' : 'NOT NULL in SQL, but its type admits null');
  }
  const expected = familiesOf(column.udt_name);
  const read = [...types.select].filter((family) => family !== 'null');
  if (!expected) found.push(`no rule here for the SQL type ${column.udt_name}`);
  else if (read.length === 0 || read.some((family) => !expected.includes(family))) {
    found.push(`SQL ${column.udt_name} is read as ${listed(expected)}, but its type is ${listed(read)}`);
  }
  if (column.udt_name === 'jsonb' && listed([...types.insert].filter((family) => family !== 'null' && family !== 'undefined')) !== 'string') {
    found.push(`jsonb is written as JSON text, but its insert type is ${listed(types.insert)}`);
  }
  if (column.column_default !== null && !types.insert.has('undefined')) {
    found.push(`SQL gives it a default (${column.column_default}), but an insert cannot leave it out: make it Generated<…> or a ColumnType whose insert type admits undefined`);
  }
  if (column.column_default === null && !nullable && types.insert.has('undefined')) {
    found.push('NOT NULL without a default in SQL, but its insert type lets an insert leave it out');
  }
  return found.map((problem) => `${column.table_name}.${column.column_name}: ${problem}`);
}

/** Every difference between the database's tables and schema.ts's Tables. */
function schemaMismatches(columns: SqlColumn[], schemaText: string): string[] {
  const { aliases, interfaces } = readSchemaFile(schemaText);
  const tables = new Map<string, string>();
  for (const [table, type] of interfaces.get('Tables') ?? []) tables.set(table, type.getText());
  const sqlTables = new Set(columns.map((column) => column.table_name));
  const found: string[] = [];
  for (const table of sqlTables) if (!tables.has(table)) found.push(`${table}: a table in SQL, missing from Tables`);
  for (const table of tables.keys()) if (!sqlTables.has(table)) found.push(`${table}: in Tables, but no such table in SQL`);
  for (const [table, interfaceName] of tables) {
    const properties = interfaces.get(interfaceName);
    if (!properties) {
      found.push(`${table}: Tables names ${interfaceName}, which schema.ts does not declare`);
      continue;
    }
    const sqlColumns = columns.filter((column) => column.table_name === table);
    for (const column of sqlColumns) {
      const type = properties.get(column.column_name);
      if (!type) found.push(`${table}.${column.column_name}: a column in SQL, missing from ${interfaceName}`);
      else found.push(...columnMismatches(column, columnTypes(type, aliases)));
    }
    for (const property of properties.keys()) {
      if (sqlTables.has(table) && !sqlColumns.some((column) => column.column_name === property)) found.push(`${table}.${property}: in ${interfaceName}, but no such column in SQL`);
    }
  }
  return found;
}

const schemaPath = new URL('./schema.ts', import.meta.url);
let database: TestDatabase;
let columns: SqlColumn[];

beforeAll(async () => {
  database = await openTestDatabase();
  const result = await sql<SqlColumn>`
    select c.table_name, c.column_name, c.udt_name, c.is_nullable, c.column_default
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(database.db);
  columns = result.rows;
});

afterAll(async () => {
  await database?.close();
});

describe('schema.ts', () => {
  it('describes every table and column of the migrated database as it is', () => {
    expect(columns.length).toBeGreaterThan(0);
    const mismatches = schemaMismatches(columns, readFileSync(schemaPath, 'utf8'));
    expect(mismatches, `schema.ts differs from migrations/*.sql:\n${mismatches.join('\n')}`).toEqual([]);
  });

  it('would say so for a column renamed, made nullable, or typed wrong', () => {
    const text = readFileSync(schemaPath, 'utf8');
    const wrong = text
      .replace('  time_zone: Generated<string>;', '  time_zone_name: Generated<string>;')
      .replace('  kind: string;\n  description: string;', '  kind: string | null;\n  description: number;')
      .replace('  reminder_after_days: Generated<number>;', '  reminder_after_days: number;');
    const before = new Set(schemaMismatches(columns, text));
    expect(schemaMismatches(columns, wrong).filter((mismatch) => !before.has(mismatch))).toEqual([
      'companies.time_zone: a column in SQL, missing from CompaniesTable',
      'companies.time_zone_name: in CompaniesTable, but no such column in SQL',
      'journal_entries.kind: NOT NULL in SQL, but its type admits null',
      'journal_entries.description: SQL text is read as string, but its type is number',
      'receipt_settings.reminder_after_days: SQL gives it a default (3), but an insert cannot leave it out: make it Generated<…> or a ColumnType whose insert type admits undefined',
    ]);
  });
});
