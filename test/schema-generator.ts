/**
 * Generates the JSON Schemas of spec files (schema/spec-file.schema.json) and of bare platform
 * specs (schema/platform-spec.schema.json) from the TypeScript types in lib/spec, with the
 * TypeScript compiler: properties, required fields, enums and doc comments come from the types,
 * so the schema cannot drift from them. test/schema.test.ts compares the committed files with a
 * fresh generation and checks them against the validator; regenerate with
 *   UPDATE_SCHEMA=1 npx jest test/schema.test.ts
 */
import { join } from 'path';
import * as ts from 'typescript';
import { POOL_NAME_PATTERN, PLATFORM_NAME_PATTERN } from '../lib/spec';

type Schema = { [key: string]: unknown };

const ROOT = join(__dirname, '..');
const SOURCES = [join(ROOT, 'lib', 'spec', 'types.ts'), join(ROOT, 'lib', 'spec', 'spec-file.ts')];

/** Constraints the types cannot express, from the validator's own exported patterns. */
const EXTRA: { [path: string]: Schema } = {
  'SandboxPlatformSpec.name': { pattern: PLATFORM_NAME_PATTERN.source },
  'SandboxPoolSpec.name': { pattern: POOL_NAME_PATTERN.source },
  'GpuPoolSpec.name': { pattern: POOL_NAME_PATTERN.source },
};

function doc(checker: ts.TypeChecker, symbol: ts.Symbol): string | undefined {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s*\n\s*/g, ' ').trim();
  return text === '' ? undefined : text;
}

class Generator {
  public readonly definitions: { [name: string]: Schema } = {};
  private readonly checker: ts.TypeChecker;
  private readonly declarations = new Map<string, ts.InterfaceDeclaration | ts.EnumDeclaration>();

  constructor() {
    const program = ts.createProgram(SOURCES, { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, types: [] });
    this.checker = program.getTypeChecker();
    for (const file of program.getSourceFiles().filter((f) => f.fileName.includes('/lib/spec/'))) {
      ts.forEachChild(file, (node) => {
        if ((ts.isInterfaceDeclaration(node) || ts.isEnumDeclaration(node)) && node.name) this.declarations.set(node.name.text, node);
      });
    }
  }

  public ref(name: string): Schema {
    if (!this.definitions[name]) {
      const decl = this.declarations.get(name);
      if (!decl) throw new Error(`schema generator: no interface or enum ${name} in lib/spec`);
      this.definitions[name] = {}; // placeholder against recursion
      this.definitions[name] = ts.isEnumDeclaration(decl) ? this.enumSchema(decl) : this.objectSchema(name, decl);
    }
    return { $ref: `#/definitions/${name}` };
  }

  private enumSchema(decl: ts.EnumDeclaration): Schema {
    const values = decl.members.map((m) => {
      const v = this.checker.getConstantValue(m);
      if (typeof v !== 'string') throw new Error(`schema generator: ${decl.name.text}.${m.name.getText()} is not a string enum member`);
      return v;
    });
    const symbol = this.checker.getSymbolAtLocation(decl.name)!;
    return { ...(doc(this.checker, symbol) ? { description: doc(this.checker, symbol) } : {}), type: 'string', enum: values };
  }

  private objectSchema(name: string, decl: ts.InterfaceDeclaration): Schema {
    const type = this.checker.getTypeAtLocation(decl.name);
    const properties: Schema = {};
    const required: string[] = [];
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const propType = this.checker.getTypeOfSymbol(prop);
      const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
      if (!optional) required.push(prop.name);
      const description = doc(this.checker, prop);
      const schema = { ...this.typeSchema(propType, optional), ...EXTRA[`${name}.${prop.name}`] };
      // draft-07 ignores keywords beside $ref: wrap a reference that carries a description.
      properties[prop.name] = description ? (schema.$ref ? { description, allOf: [schema] } : { description, ...schema }) : schema;
    }
    const symbol = this.checker.getSymbolAtLocation(decl.name)!;
    const description = doc(this.checker, symbol);
    return {
      ...(description ? { description } : {}),
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: false,
    };
  }

  private typeSchema(type: ts.Type, optional: boolean): Schema {
    let t = type;
    if (optional && t.isUnion()) {
      const rest = t.types.filter((x) => !(x.flags & ts.TypeFlags.Undefined));
      if (rest.length === 1) t = rest[0];
      else if (rest.every((x) => x.flags & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
      else if (rest.every((x) => x.flags & ts.TypeFlags.EnumLiteral)) return this.ref((rest[0].getSymbol() as ts.Symbol & { parent: ts.Symbol }).parent.name);
      else throw new Error(`schema generator: cannot map union ${this.checker.typeToString(t)}`);
    }
    if (t.flags & ts.TypeFlags.String) return { type: 'string' };
    if (t.flags & ts.TypeFlags.Number) return { type: 'number' };
    if (t.flags & ts.TypeFlags.Boolean || t.flags & ts.TypeFlags.BooleanLiteral) return { type: 'boolean' };
    const symbol = t.aliasSymbol ?? t.getSymbol();
    if (t.flags & ts.TypeFlags.EnumLike || (t.isUnion() && t.types.every((x) => x.flags & ts.TypeFlags.EnumLiteral))) {
      const enumSymbol = t.isUnion() ? (t.types[0].getSymbol() as ts.Symbol & { parent?: ts.Symbol }).parent : symbol;
      return this.ref(enumSymbol!.name);
    }
    if (this.checker.isArrayType(t)) {
      const [item] = this.checker.getTypeArguments(t as ts.TypeReference);
      return { type: 'array', items: this.typeSchema(item, false) };
    }
    const index = this.checker.getIndexInfosOfType(t);
    if (index.length === 1 && this.checker.getPropertiesOfType(t).length === 0) {
      return { type: 'object', additionalProperties: this.typeSchema(index[0].type, false) };
    }
    if (symbol && this.declarations.has(symbol.name)) return this.ref(symbol.name);
    throw new Error(`schema generator: cannot map type ${this.checker.typeToString(t)}`);
  }
}

const DRAFT = 'http://json-schema.org/draft-07/schema#';

/** The two schemas, keyed by file name under schema/. */
export function generateSchemas(): { [file: string]: Schema } {
  const g = new Generator();
  g.ref('PlatformSpecFile');
  g.ref('SandboxPlatformSpec');
  const definitions = Object.fromEntries(Object.keys(g.definitions).sort().map((k) => [k, g.definitions[k]]));
  const fileDef = definitions.PlatformSpecFile as { properties: Schema };
  const specDef = definitions.SandboxPlatformSpec as { properties: Schema };
  const schemaProp = { description: 'The JSON Schema of this file (for editors); ignored by the loader.', type: 'string' };
  return {
    'spec-file.schema.json': {
      $schema: DRAFT,
      title: 'cdktf-sandbox-byoc spec file',
      description: 'A spec file read by loadSpecFile / loadPlatformSpec: the target, optional remote state and the platform spec. Generated from the TypeScript types (lib/spec); the loader validates more (ranges, cloud-specific rules) and names each problem.',
      ...(definitions.PlatformSpecFile as Schema),
      properties: { $schema: schemaProp, ...fileDef.properties },
      definitions,
    },
    'platform-spec.schema.json': {
      $schema: DRAFT,
      title: 'cdktf-sandbox-byoc platform spec',
      description: 'A bare SandboxPlatformSpec in JSON, as loadPlatformSpec reads it. Generated from the TypeScript types (lib/spec); the loader validates more (ranges, cloud-specific rules) and names each problem.',
      ...(definitions.SandboxPlatformSpec as Schema),
      properties: { $schema: schemaProp, ...specDef.properties },
      definitions,
    },
  };
}
