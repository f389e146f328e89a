// The CLI entry the contract names (`node dist/cli.js <command>`); the code lives in src/cli/main.ts.
import './src/cli/main.js';
