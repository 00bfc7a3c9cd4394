# Runs supervisor's own end-to-end tests, as Debian's package installs them, against svd: the tests spawn
# `sys.executable -m supervisor.supervisord ...` and `... supervisorctl ...`, and sys.executable is pointed at
# upstream-e2e-shim.sh, which runs svd instead. The tests that check something svd deliberately does otherwise
# (README's table of differences) are skipped with the row's reason. Exit status 0 when every other test passed.
import os
import sys
import unittest

os.environ['END_TO_END'] = '1'
sys.executable = sys.argv[1]

from supervisor.tests import test_end_to_end  # noqa: E402  (END_TO_END must be set first)

DIFFERENCES = {
    'test_issue_1251': "`-?` prints svd's own help, not supervisor's docstring (README: `supervisorctl -h`, `supervisord -h`)",
    'test_issue_1418_pidproxy_cmd_with_no_args': 'pidproxy waits for its pidfile after the command exits (README: `pidproxy`)',
    'test_issue_1418_pidproxy_cmd_with_args': 'pidproxy waits for its pidfile after the command exits (README: `pidproxy`)',
}

# Fixtures the upstream tree has and Debian's package leaves out: without them the test fails for supervisord too.
FIXTURES = os.path.join(os.path.dirname(test_end_to_end.__file__), 'fixtures')
NEEDS = {'test_issue_565': 'hello.sh'}

suite = unittest.TestSuite()
for name in unittest.TestLoader().getTestCaseNames(test_end_to_end.EndToEndTests):
    missing = NEEDS.get(name)
    if name in DIFFERENCES:
        print(f'skipped {name}: {DIFFERENCES[name]}', flush=True)
    elif missing and not os.path.exists(os.path.join(FIXTURES, missing)):
        print(f'skipped {name}: the installed package has no fixtures/{missing}', flush=True)
    else:
        suite.addTest(test_end_to_end.EndToEndTests(name))
result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
sys.exit(0 if result.wasSuccessful() else 1)
