#!/usr/bin/env node
// placeholder replaced by the audit CLI
export {};
