/*
 * Runs before every test file. The constructs print their synth-time warnings to standard error by default;
 * the tests that are about warnings read `findings` or set the mode themselves (test/synth-warnings.test.ts
 * tests the default with this variable unset), so the suite keeps its output quiet.
 */
process.env.CDK8S_GRACEFUL_WARNINGS = 'ignore';
