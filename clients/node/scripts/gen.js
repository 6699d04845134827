// Copies the API's .proto files from the repository's proto/ into ./proto
// (loaded at run time by @grpc/proto-loader) and generates TypeScript types
// for every message and service with proto-loader-gen-types. Nothing here is
// committed: both outputs are build products.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const source = path.resolve(root, '..', '..', 'proto', 'abm', 'v1');
const target = path.join(root, 'proto', 'abm', 'v1');
fs.mkdirSync(target, { recursive: true });
const files = ['event.proto', 'metrics.proto', 'admin.proto'];
for (const f of files) fs.copyFileSync(path.join(source, f), path.join(target, f));

const bin = path.join(root, 'node_modules', '.bin', 'proto-loader-gen-types');
execFileSync(bin, [
  '--longs=String', '--enums=String', '--defaults', '--oneofs', '--grpcLib=@grpc/grpc-js',
  '--includeDirs', path.join(root, 'proto'), '--outDir', path.join(root, 'src', 'generated'),
  ...files.map((f) => path.join('abm', 'v1', f)),
], { stdio: 'inherit', cwd: root });
