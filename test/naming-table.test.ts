import { NameRule, checkName, checkStackNames, valuesAt } from '../lib/spec';

const rule: NameRule = {
  attribute: 'name', minLength: 3, maxLength: 10, pattern: /^[a-z][a-z0-9-]*[a-z0-9]$/,
  patternText: 'lowercase letters, digits and hyphens', noConsecutiveHyphens: true, source: 'test',
};

describe('naming rules', () => {
  test('length, pattern and consecutive hyphens are each reported', () => {
    expect(checkName(rule, 'abc')).toBeUndefined();
    expect(checkName(rule, 'ab')).toMatch(/is 2 characters; 3\.\.10 allowed/);
    expect(checkName(rule, 'abcdefghijk')).toMatch(/is 11 characters/);
    expect(checkName(rule, 'abc-')).toMatch(/does not match lowercase letters/);
    expect(checkName(rule, 'ab--c')).toMatch(/consecutive hyphens/);
    expect(checkName({ ...rule, prefix: true }, 'ab')).toMatch(/^name prefix "ab"/);
  });

  test('valuesAt walks nested blocks and lists', () => {
    const config = { a: [{ b: { c: 'x' } }, { b: { c: 'y' } }], d: ['p', 'q'] };
    expect(valuesAt(config, 'a.b.c')).toEqual(['x', 'y']);
    expect(valuesAt(config, 'd')).toEqual(['p', 'q']);
    expect(valuesAt(config, 'a.missing')).toEqual([]);
  });

  test('a stack check reports unknown types and bad names, and skips Terraform expressions', () => {
    const result = checkStackNames({
      t_named: { one: { name: 'good-name' }, two: { name: 'bad-' }, three: { name: '${var.x}-abc' } },
      t_unnamed: { one: { parent: 'x' } },
      t_unknown: { one: { name: 'x' } },
    }, { t_named: [rule], t_unnamed: [] });
    expect(result.unknownTypes).toEqual(['t_unknown']);
    expect(result.checked).toBe(2);
    expect(result.violations.map((v) => `${v.logicalId}: ${v.problem}`)).toEqual([
      expect.stringMatching(/^two: name "bad-" does not match/),
    ]);
  });
});
