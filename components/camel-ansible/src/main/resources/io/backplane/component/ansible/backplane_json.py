# Backplane's stdout callback for ansible-playbook and ansible (ad-hoc). ansible-core ships no JSON callback (the
# `json` one lives in the ansible.posix collection), so Backplane brings this one: it writes one JSON document to the
# file named by BACKPLANE_ANSIBLE_RESULT when the run ends (per-host stats, failed tasks, last result per host) and a
# short line per task result to stdout for people reading logs.
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = '''
    name: backplane_json
    type: stdout
    short_description: per-host stats and failures as one JSON document for Backplane
    description:
        - Writes stats, failures and the last result of each host to the file in BACKPLANE_ANSIBLE_RESULT.
'''

import json
import os

from ansible.plugins.callback import CallbackBase

# the same bound the Java side applies to every text of a result
try:
    MAX_TEXT = int(os.environ.get('BACKPLANE_ANSIBLE_MAX_TEXT', '16384'))
except ValueError:
    MAX_TEXT = 16384


def _text(value):
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = value.replace('\r\n', '\n')
    if len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + '\n[truncated: %d more characters]' % (len(value) - MAX_TEXT)
    return value


class CallbackModule(CallbackBase):

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'backplane_json'

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._failures = []
        self._last = {}

    def _summary(self, result, status):
        res = result._result
        out = {'task': _text(result._task.get_name()), 'action': result._task.action, 'status': status,
               'changed': bool(res.get('changed', False))}
        for key in ('rc', 'msg', 'stdout', 'stderr'):
            if key in res and res[key] is not None:
                out[key] = res[key] if key == 'rc' else _text(res[key])
        if 'module_stderr' in res and 'stderr' not in out:
            out['stderr'] = _text(res['module_stderr'])
        return out

    def _record(self, result, status):
        host = result._host.get_name()
        summary = self._summary(result, status)
        self._last[host] = summary
        self._display.display('%s | %s | %s' % (host, status.upper(), summary['task']))
        return host, summary

    def v2_runner_on_ok(self, result):
        self._record(result, 'changed' if result._result.get('changed', False) else 'ok')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        host, summary = self._record(result, 'ignored' if ignore_errors else 'failed')
        if not ignore_errors:
            failure = dict(summary)
            failure['host'] = host
            self._failures.append(failure)

    def v2_runner_on_unreachable(self, result):
        host, summary = self._record(result, 'unreachable')
        failure = dict(summary)
        failure['host'] = host
        self._failures.append(failure)

    def v2_playbook_on_stats(self, stats):
        hosts = {}
        for host in sorted(stats.processed.keys()):
            hosts[host] = stats.summarize(host)
        document = {'stats': hosts, 'failures': self._failures, 'last': self._last}
        path = os.environ.get('BACKPLANE_ANSIBLE_RESULT')
        if path:
            with open(path, 'w') as out:
                json.dump(document, out, default=str)
        else:
            self._display.display(json.dumps(document, default=str))
