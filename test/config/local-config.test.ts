import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfigFile } from '../../src/config/config-file.js';
import { loadGateSettings } from '../../src/config/gate-config.js';
import { localSectionOf, parseLocalSection } from '../../src/config/local-config.js';
import { describeRule } from '../../src/gate/rules.js';
import { UserError } from '../../src/errors.js';

const thrown = (fn: () => unknown): UserError => {
  try {
    fn();
  } catch (error) {
    return error as UserError;
  }
  throw new Error('expected an error');
};

describe('the local section of the config', () => {
  it('fills defaults and resolves handler paths against the config folder', () => {
    const section = parseLocalSection({ functions: [{ name: 'f', handler: 'src/index.handler' }] }, '/project');
    expect(section.region).toBe('us-east-1');
    expect(section.limits).toEqual({ cpu: 'auto', maxEnvironments: 32 });
    expect(section.functions![0]).toEqual({
      name: 'f',
      handler: '/project/src/index.handler',
      runtime: 'nodejs20.x',
      description: '',
      memoryMb: 128,
      timeoutS: 3,
      environment: {},
      logFormat: 'Text',
      architecture: 'x86_64',
    });
  });

  it('names every bad field with exit code 2', () => {
    const error = thrown(() =>
      parseLocalSection(
        { functions: [{ name: 'bad name', handler: 'x.h', memoryMb: 64, logFormat: 'XML' }], limits: { cpu: 'fast' } },
        '/p',
        'tune.config.json',
      ),
    );
    expect(error).toBeInstanceOf(UserError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('local.functions[0].name');
    expect(error.message).toContain('local.functions[0].memoryMb');
    expect(error.message).toContain('local.functions[0].logFormat');
    expect(error.message).toContain('local.limits.cpu');
  });

  it('refuses unknown fields and repeated function names', () => {
    expect(thrown(() => parseLocalSection({ functons: [] }, '/p')).message).toContain('functons');
    const twice = {
      functions: [
        { name: 'a', handler: 'x.h' },
        { name: 'a', handler: 'y.h' },
      ],
    };
    expect(thrown(() => parseLocalSection(twice, '/p')).message).toContain('"a" appears twice');
  });

  it('reports a missing or corrupt file as a usage error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-tune-config-'));
    expect(thrown(() => findConfigFile(path.join(dir, 'missing.json'), dir)).message).toContain('it does not exist');
    expect(thrown(() => findConfigFile(dir, dir)).message).toContain('it is a folder, not a file');
    const corrupt = path.join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{ "local": ');
    const error = thrown(() => findConfigFile(corrupt, dir));
    expect(error.code).toBe('CONFIG_UNREADABLE');
    expect(error.exitCode).toBe(2);
  });
});

describe('the example config in examples/', () => {
  it('is valid and points at the bundled hasher', () => {
    const examples = path.join(import.meta.dirname, '..', '..', 'examples');
    const section = localSectionOf(findConfigFile('tune.config.json', examples), examples);
    expect(section.functions!.map((fn) => [fn.name, fn.architecture, fn.logFormat])).toEqual([
      ['hasher', 'x86_64', 'Text'],
      ['hasher-arm', 'arm64', 'JSON'],
      ['hasher-py', 'x86_64', 'Text'],
      ['s3-copy', 'x86_64', 'Text'],
      ['prefetch-reader', 'x86_64', 'Text'],
    ]);
    expect(section.functions![0]!.handler).toBe(path.join(import.meta.dirname, '..', '..', 'examples', 'hasher', 'index.handler'));
  });
});

describe('the gate section of the example config', () => {
  it('holds rules the gate can read, in both forms', () => {
    const examples = path.join(import.meta.dirname, '..', '..', 'examples');
    const gate = loadGateSettings({ rule: [], verbose: false, allowInconclusive: false }, findConfigFile('tune.config.json', examples), examples, {});
    expect(gate.confidence).toBe(0.95);
    expect(gate.rules.map(describeRule)).toEqual([
      'duration:p95 > 10% error',
      'cost > 5% warn recommended',
      'maxMemory > 900 error',
      'timing:mbPerSecond:p50 < 10% warn',
    ]);
  });
});
