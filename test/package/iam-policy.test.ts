import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

interface Statement {
  Sid: string;
  Action: string[];
  Resource: unknown;
}

/** IAM's prefix for each SDK client the tool uses. */
const SERVICE_PREFIX: Record<string, string> = { '@aws-sdk/client-lambda': 'lambda', '@aws-sdk/client-cloudwatch-logs': 'logs' };
/** Where IAM names an action unlike its API operation. */
const ACTION_OF_OPERATION: Record<string, string> = { 'lambda:Invoke': 'lambda:InvokeFunction' };

/** Every AWS API call in the tool's own code (the local platform aside, which serves these APIs rather than calling them), as an IAM action. */
function actionsTheToolCalls(): string[] {
  const files = readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.startsWith('local'));
  const actions = new Set<string>();
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, 'src', file), 'utf8');
    for (const [, names = '', client = ''] of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/[^']+)'/g)) {
      const prefix = SERVICE_PREFIX[client];
      for (const [, operation] of names.matchAll(/\b(\w+)Command\b/g)) {
        if (!new RegExp(`new ${operation}Command\\(`).test(text)) continue;
        expect(prefix, `${file} calls ${client}, which this test does not know the IAM prefix of`).toBeDefined();
        const action = `${prefix}:${operation}`;
        actions.add(ACTION_OF_OPERATION[action] ?? action);
      }
    }
  }
  return [...actions].sort();
}

function template(file: string): unknown {
  return JSON.parse(readFileSync(path.join(ROOT, 'templates', file), 'utf8'));
}

const granted = (statements: Statement[]) => statements.flatMap((s) => s.Action).sort();

describe('the IAM policy templates', () => {
  it('finds the calls it checks for', () => {
    expect(actionsTheToolCalls()).toEqual([
      'lambda:CreateAlias',
      'lambda:DeleteAlias',
      'lambda:DeleteFunction',
      'lambda:GetAlias',
      'lambda:GetFunctionConfiguration',
      'lambda:InvokeFunction',
      'lambda:ListVersionsByFunction',
      'lambda:PublishVersion',
      'lambda:UpdateAlias',
      'lambda:UpdateFunctionConfiguration',
      'logs:FilterLogEvents',
    ]);
  });

  it('CloudFormation: takes the function and its log group as parameters and grants exactly the calls the tool makes', () => {
    const stack = template('iam-policy.cfn.json') as {
      Parameters: Record<string, { Type: string; Default?: string }>;
      Resources: Record<string, { Type: string; Properties: { PolicyDocument: { Statement: Statement[] } } }>;
      Outputs: Record<string, unknown>;
    };
    expect(stack.Parameters['FunctionName']?.Type).toBe('String');
    expect(stack.Parameters['LogGroupName']).toEqual(expect.objectContaining({ Type: 'String', Default: '' }));
    const policy = stack.Resources['TunePolicy'];
    expect(policy?.Type).toBe('AWS::IAM::ManagedPolicy');
    const statements = policy?.Properties.PolicyDocument.Statement ?? [];
    expect(granted(statements)).toEqual(actionsTheToolCalls());
    const logs = JSON.stringify(statements.find((s) => s.Action.includes('logs:FilterLogEvents'))?.Resource);
    expect(logs).toContain('log-group:${LogGroupName}:*');
    expect(logs).toContain('log-group:/aws/lambda/${FunctionName}:*');
    expect(JSON.stringify(statements)).not.toContain('"*"');
    expect(stack.Outputs['PolicyArn']).toBeDefined();
  });

  it('plain JSON policy: grants the same, with placeholders to fill in', () => {
    const policy = template('iam-policy.json') as { Statement: Statement[] };
    expect(granted(policy.Statement)).toEqual(actionsTheToolCalls());
    // Tuning NAME:ALIAS reads the alias (its routing configuration): a tuning-only policy needs GetAlias, not the apply's writes.
    expect(policy.Statement.find((s) => s.Sid === 'TuneTheFunction')?.Action).toContain('lambda:GetAlias');
    expect(policy.Statement.find((s) => s.Sid === 'ApplyToAnAlias')?.Action).toEqual(['lambda:CreateAlias', 'lambda:UpdateAlias', 'lambda:DeleteAlias']);
    const text = JSON.stringify(policy);
    for (const placeholder of ['REGION', 'ACCOUNT_ID', 'FUNCTION_NAME', 'LOG_GROUP']) expect(text).toContain(placeholder);
  });
});
