// Preload for running the example apps against the sources: `require('cdk8s-graceful')` → src/index.ts.
const Module = require('module');
const path = require('path');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'cdk8s-graceful') {
    request = path.join(__dirname, '..', '..', 'src', 'index.ts');
  }
  return original.call(this, request, ...rest);
};
