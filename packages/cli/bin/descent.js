#!/usr/bin/env node
// The `descent` command. A committed file (not the build output) so that npm links it at install
// time, before the workspace is built.
import '../dist/bin.js';
