import { randomUUID } from 'node:crypto';

export type Architecture = 'x86_64' | 'arm64';
export type LogFormat = 'Text' | 'JSON';

/** One version's configuration, as the platform keeps it. `$LATEST` is a version too. */
export interface FunctionVersionConfig {
  functionName: string;
  version: string;
  runtime: string;
  handler: string;
  codeDir: string;
  codeSha256: string;
  codeSize: number;
  description: string;
  memoryMb: number;
  timeoutS: number;
  ephemeralStorageMb: number;
  environment: Record<string, string>;
  architecture: Architecture;
  logFormat: LogFormat;
  logGroup: string;
  lastModified: string;
  revisionId: string;
  state: 'Pending' | 'Active' | 'Inactive' | 'Failed';
  lastUpdateStatus: 'InProgress' | 'Successful' | 'Failed';
}

/** The fields that make two versions the same function: PublishVersion compares these. */
export function sameDeployment(a: FunctionVersionConfig, b: FunctionVersionConfig): boolean {
  return (
    a.codeSha256 === b.codeSha256 &&
    a.handler === b.handler &&
    a.runtime === b.runtime &&
    a.memoryMb === b.memoryMb &&
    a.timeoutS === b.timeoutS &&
    a.ephemeralStorageMb === b.ephemeralStorageMb &&
    a.architecture === b.architecture &&
    a.logFormat === b.logFormat &&
    a.logGroup === b.logGroup &&
    JSON.stringify(sortedEntries(a.environment)) === JSON.stringify(sortedEntries(b.environment))
  );
}

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => compareText(a, b));
}

/** Lambda's timestamp format, for example `2026-11-21T09:15:02.123+0000`. */
export function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

export function newRevisionId(): string {
  return randomUUID();
}

/** The FunctionConfiguration structure of the Lambda API. */
export function toApiConfiguration(config: FunctionVersionConfig, functionArn: string, role: string) {
  return {
    FunctionName: config.functionName,
    FunctionArn: functionArn,
    Runtime: config.runtime,
    Role: role,
    Handler: config.handler,
    CodeSize: config.codeSize,
    Description: config.description,
    Timeout: config.timeoutS,
    MemorySize: config.memoryMb,
    LastModified: config.lastModified,
    CodeSha256: config.codeSha256,
    Version: config.version,
    Environment: { Variables: config.environment },
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: config.revisionId,
    State: config.state,
    ...(config.state === 'Pending' ? { StateReason: 'The function is being created.', StateReasonCode: 'Creating' } : {}),
    LastUpdateStatus: config.lastUpdateStatus,
    ...(config.lastUpdateStatus === 'InProgress' ? { LastUpdateStatusReason: 'The function is being updated.', LastUpdateStatusReasonCode: 'Updating' } : {}),
    PackageType: 'Zip',
    Architectures: [config.architecture],
    EphemeralStorage: { Size: config.ephemeralStorageMb },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: config.logFormat, LogGroup: config.logGroup },
  };
}

/** Plain code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
