#!/usr/bin/env node
// The SDK's notice about Node 20 support is for the SDK's maintainers, not for tune's users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The command line as one bundle (npm run build): loading one file costs less than loading each
// module of lambda-tune and zod on its own, which every command pays at start-up.
const { run } = await import('../dist/cli-bundle/main.js');

process.exitCode = await run(process);
