import { describe, expect, it } from '@jest/globals';
import { frontendEnvFiles, frontendModes, isManifestFile, wranglerDevFiles } from '../src/layers.js';

describe('env file layering per tool', () => {
  it('Vite: .env < .env.local < .env.[mode] < .env.[mode].local, so .env.production beats .env.local', () => {
    const files = frontendEnvFiles('vite', 'production');
    expect(files).toEqual(['.env', '.env.local', '.env.production', '.env.production.local']);
    expect(files.indexOf('.env.production')).toBeGreaterThan(files.indexOf('.env.local'));
  });

  it('Next.js: .env < .env.$NODE_ENV < .env.local < .env.$NODE_ENV.local, and no .env.local in test', () => {
    expect(frontendEnvFiles('next', 'production')).toEqual(['.env', '.env.production', '.env.local', '.env.production.local']);
    expect(frontendEnvFiles('next', 'test')).toEqual(['.env', '.env.test', '.env.test.local']);
  });

  it('Vite modes come from the file names; Next.js only knows development and production', () => {
    const names = ['.env', '.env.local', '.env.staging', '.env.qa.local', '.env.example', '.env.production'];
    expect(frontendModes('vite', names)).toEqual(['development', 'production', 'qa', 'staging']);
    expect(frontendModes('next', names)).toEqual(['development', 'production']);
  });

  it.each([
    ['.env.example', true], ['.dev.vars.example', true], ['.env.sample', true], ['.env.template', true],
    ['.env', false], ['.env.production', false], ['.dev.vars', false],
  ])('%s is a manifest of names: %s', (name, expected) => {
    expect(isManifestFile(name)).toBe(expected);
  });

  describe('wrangler dev', () => {
    it('reads .dev.vars.NAME instead of .dev.vars for --env NAME (no merge)', () => {
      expect(wranglerDevFiles('staging', new Set(['.dev.vars', '.dev.vars.staging', '.env']))).toEqual({ files: ['.dev.vars.staging'], source: 'dev-vars' });
    });
    it('falls back to .dev.vars', () => {
      expect(wranglerDevFiles('staging', new Set(['.dev.vars', '.env']))).toEqual({ files: ['.dev.vars'], source: 'dev-vars' });
    });
    it('reads the .env chain only when no .dev.vars file exists', () => {
      expect(wranglerDevFiles('staging', new Set(['.env', '.env.staging.local', '.env.local']))).toEqual({ files: ['.env', '.env.local', '.env.staging.local'], source: 'dev-env' });
      expect(wranglerDevFiles(null, new Set(['.env', '.env.staging']))).toEqual({ files: ['.env'], source: 'dev-env' });
    });
  });
});
