# Answers XML-RPC codec questions with Python's xmlrpc.client and supervisor's own request parser,
# for xmlrpc-compat.test.ts. JSON on stdin and stdout; values travel tagged ({"t": kind, "v": ...}).
import base64
import json
import sys
import xmlrpc.client as x

from supervisor.xmlrpc import supervisor_xmlrpc_handler


def build(tagged):
    t, v = tagged['t'], tagged.get('v')
    if t == 'int':
        return int(v)
    if t == 'str' or t == 'bool':
        return v
    if t == 'double':
        return float(v)
    if t == 'nil':
        return None
    if t == 'bytes':
        return x.Binary(base64.b64decode(v))
    if t == 'datetime':
        return x.DateTime(v)
    if t == 'array':
        return [build(i) for i in v]
    if t == 'struct':
        return {k: build(i) for k, i in v}
    raise ValueError(t)


def tag(value):
    if isinstance(value, bool):
        return {'t': 'bool', 'v': value}
    if isinstance(value, int):
        return {'t': 'int', 'v': str(value)}
    if isinstance(value, float):
        return {'t': 'double', 'v': repr(value)}
    if isinstance(value, str):
        return {'t': 'str', 'v': value}
    if value is None:
        return {'t': 'nil'}
    if isinstance(value, x.Binary):
        return {'t': 'bytes', 'v': base64.b64encode(value.data).decode()}
    if isinstance(value, x.DateTime):
        return {'t': 'datetime', 'v': value.value}
    if isinstance(value, (list, tuple)):
        return {'t': 'array', 'v': [tag(i) for i in value]}
    if isinstance(value, dict):
        return {'t': 'struct', 'v': [[k, tag(i)] for k, i in value.items()]}
    return {'t': 'other', 'v': repr(value)}


def loads(body):
    try:
        params, method = x.loads(body, use_builtin_types=False)
        return {'ok': True, 'method': method, 'params': [tag(p) for p in params]}
    except x.Fault as f:
        return {'ok': True, 'fault': [f.faultCode, f.faultString]}
    except Exception as e:
        return {'ok': False, 'error': str(e)}


def supervisor_loads(body):
    try:
        params, method = supervisor_xmlrpc_handler(None, []).loads(body)
        return {'ok': True, 'method': method, 'params': [tag(p) for p in (params or ())]}
    except Exception as e:
        return {'ok': False, 'error': str(e)}


request = json.load(sys.stdin)
answer = {
    'responses': [x.dumps((build(v),), methodresponse=True, allow_none=True) for v in request['responses']],
    'calls': [x.dumps(tuple(build(p) for p in c['params']), c['method'], allow_none=True) for c in request['calls']],
    'faults': [x.dumps(x.Fault(code, text)) for code, text in request['faults']],
    'reprs': [repr(float(d)) for d in request['reprs']],
    'loads': [loads(body) for body in request['loads']],
    'supervisorLoads': [supervisor_loads(body) for body in request['supervisorLoads']],
}
json.dump(answer, sys.stdout)
