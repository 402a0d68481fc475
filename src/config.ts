/**
 * deploy-guard.config.json (JSONC accepted). Its defaults, like every other default, come from
 * src/defaults.ts. Action inputs and CLI flags override it key by key. An unknown key is an error naming the key, so a typo never
 * silently turns a check off.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { CONFIG_FILE_NAME, DEFAULT_FAIL_ON } from './defaults.js';
import { ConfigurationError } from './errors.js';
import type { RuleId, Severity } from './model.js';
import type { PairingRule } from './pairing.js';
import { RULES } from './rules/index.js';

export { CONFIG_FILE_NAME };

export type RuleSetting = Severity | 'off';
export type FailOn = Severity | 'never';

export type GuardConfig = {
  rules: Partial<Record<RuleId, RuleSetting>>;
  /** gitignore-style patterns of paths (relative to the root) never read. */
  ignore: string[];
  pairs: PairingRule[];
  failOn: FailOn;
  /** Folders (repo-relative) to treat as frontends even without a framework dependency or browser-prefixed variables. */
  frontends: string[];
  /** Extra prefixes that make a variable part of the browser bundle (added to VITE_, NEXT_PUBLIC_, …). */
  browserPrefixes: string[];
  /** Where the config came from, for messages; undefined when defaults are used. */
  source?: string;
};

export const DEFAULT_CONFIG: GuardConfig = { rules: {}, ignore: [], pairs: [], failOn: DEFAULT_FAIL_ON, frontends: [], browserPrefixes: [] };

const SEVERITIES: readonly string[] = ['error', 'warning', 'note'];
const RULE_SETTINGS: readonly string[] = [...SEVERITIES, 'off'];
export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'note', 'never'];
export const TOP_LEVEL_KEYS = ['$schema', 'rules', 'ignore', 'pairs', 'failOn', 'frontends', 'browserPrefixes'];
const PAIR_KEYS = ['frontend', 'worker', 'environment', 'frontendPath', 'workerPath'];

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function fail(file: string, message: string): never {
  throw new ConfigurationError(`${file}: ${message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(file: string, where: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(file, `unknown key "${key}" in ${where} (allowed: ${allowed.join(', ')}).`);
  }
}

/** Validates parsed config data. Pure; `file` is only used in messages. */
export function validateConfig(data: unknown, file: string): GuardConfig {
  if (!isRecord(data)) fail(file, 'the config must be a JSON object.');
  checkKeys(file, 'the config', data, TOP_LEVEL_KEYS);
  const config: GuardConfig = { ...DEFAULT_CONFIG, rules: {}, ignore: [], pairs: [], frontends: [], browserPrefixes: [], source: file };
  for (const key of ['frontends', 'browserPrefixes'] as const) {
    const value = data[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((p) => typeof p !== 'string' || p === '')) fail(file, `"${key}" must be an array of non-empty strings.`);
    config[key] = (value as string[]).map((p) => (key === 'frontends' ? p.replace(/\\/g, '/').replace(/^\.\/|\/$/g, '') || '.' : p));
  }

  if (data.rules !== undefined) {
    if (!isRecord(data.rules)) fail(file, '"rules" must be an object mapping rule ids to error, warning, note or off.');
    for (const [id, setting] of Object.entries(data.rules)) {
      if (!RULES.some((r) => r.id === id)) fail(file, `unknown rule "${id}" in "rules" (known: ${RULES.map((r) => r.id).join(', ')}).`);
      if (typeof setting !== 'string' || !RULE_SETTINGS.includes(setting)) fail(file, `rule "${id}" must be set to one of ${RULE_SETTINGS.join(', ')}.`);
      config.rules[id as RuleId] = setting as RuleSetting;
    }
  }
  if (data.ignore !== undefined) {
    if (!Array.isArray(data.ignore) || data.ignore.some((p) => typeof p !== 'string')) fail(file, '"ignore" must be an array of path patterns.');
    config.ignore = data.ignore as string[];
  }
  if (data.pairs !== undefined) {
    if (!Array.isArray(data.pairs)) fail(file, '"pairs" must be an array of { "frontend": MODE, "worker": ENV } objects.');
    config.pairs = data.pairs.map((pair, i) => {
      if (!isRecord(pair)) fail(file, `pairs[${i}] must be an object.`);
      checkKeys(file, `pairs[${i}]`, pair, PAIR_KEYS);
      for (const key of PAIR_KEYS) {
        if (pair[key] !== undefined && typeof pair[key] !== 'string') fail(file, `pairs[${i}].${key} must be a string.`);
      }
      if (typeof pair.frontend !== 'string' || typeof pair.worker !== 'string') fail(file, `pairs[${i}] needs "frontend" (a mode) and "worker" (an environment name, "top-level" or "local").`);
      return pair as PairingRule;
    });
  }
  if (data.failOn !== undefined) {
    if (typeof data.failOn !== 'string' || !(FAIL_ON_VALUES as readonly string[]).includes(data.failOn)) fail(file, `"failOn" must be one of ${FAIL_ON_VALUES.join(', ')}.`);
    config.failOn = data.failOn as FailOn;
  }
  return config;
}

export function parseConfigText(text: string, file: string): GuardConfig {
  const errors: ParseError[] = [];
  const data: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  const first = errors[0];
  if (first) fail(file, `line ${lineOf(text, first.offset)}: ${printParseErrorCode(first.error)}.`);
  return validateConfig(data, file);
}

/**
 * Loads the config: `explicitPath` (from --config / input `config`) must exist; otherwise
 * `<root>/deploy-guard.config.json` is used when present, else the defaults.
 */
export function loadConfig(root: string, explicitPath?: string, displayPath = explicitPath): GuardConfig {
  const file = explicitPath ? path.resolve(explicitPath) : path.join(root, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (!explicitPath && (error as NodeJS.ErrnoException).code === 'ENOENT') return { ...DEFAULT_CONFIG };
    throw new ConfigurationError(`cannot read the config file ${displayPath ?? file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  return parseConfigText(text, displayPath ?? CONFIG_FILE_NAME);
}
