#!/usr/bin/env node
// The SDK's notice about Node 20 support is for the SDK's maintainers, not for tune's users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { run } = await import('../dist/cli/main.js');

process.exitCode = await run(process);
