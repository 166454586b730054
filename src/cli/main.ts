#!/usr/bin/env node
import { processIo, type RunState } from "./io.js";
import { runCli } from "./program.js";

/** Grace period for stray handles once a one-shot command is done (the gateway's `start` keeps running). */
const EXIT_GRACE_MS = 2000;

const state: RunState = { exitCode: 0, keepAlive: false };
const exitCode = await runCli(process.argv.slice(2), processIo(), state);
process.exitCode = exitCode;
if (!state.keepAlive) setTimeout(() => process.exit(exitCode), EXIT_GRACE_MS).unref();
