// A CommonJS consumer: works where Node loads ES modules with require() (20.19+, 22.12+).
const mapek = require('mapek');
const testing = require('mapek/testing');

process.stdout.write(JSON.stringify([typeof mapek.runScenario, typeof testing.baseScenario]));
