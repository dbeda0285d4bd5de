import { AwsError } from './aws-error.js';

/**
 * CloudWatch Logs term patterns: every plain term must occur, `-term` must not, and at least one
 * `?term` must when any are given. Quoted terms may hold spaces and punctuation ("a request id").
 * JSON (`{ $.x = 1 }`) and space-delimited (`[a, b]`) patterns are not supported here.
 */
export type LogMatcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): LogMatcher {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{') || text.startsWith('[')) {
    throw new AwsError(
      'InvalidParameterException',
      400,
      'The local platform supports term filter patterns only (words, "quoted phrases", ?any and -excluded terms).',
    );
  }
  const required: string[] = [];
  const excluded: string[] = [];
  const optional: string[] = [];
  for (const token of tokenize(text)) {
    if (token.prefix === '-') excluded.push(token.term);
    else if (token.prefix === '?') optional.push(token.term);
    else required.push(token.term);
  }
  return (message) =>
    required.every((term) => message.includes(term)) &&
    !excluded.some((term) => message.includes(term)) &&
    (optional.length === 0 || optional.some((term) => message.includes(term)));
}

interface Token {
  prefix: '' | '-' | '?';
  term: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /([-?]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const match of text.matchAll(re)) {
    const prefix = (match[1] ?? '') as Token['prefix'];
    const term = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    if (term !== '') tokens.push({ prefix, term });
  }
  return tokens;
}
