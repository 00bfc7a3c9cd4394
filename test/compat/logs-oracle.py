# Answers log-layer questions with Debian's supervisor 4.2.5, for logs-compat.test.ts. JSON on stdin and stdout.
import json
import re
import sys

from supervisor.dispatchers import stripEscapes
from supervisor.options import readFile, tailFile

request = json.load(sys.stdin)
answer = {}

pattern = re.compile(r'.+?---%s-\S+\.log\.{0,1}\d{0,4}' % request['identifier'])
answer['autoNames'] = [bool(pattern.match(name)) for name in request['autoNames']]

reads = []
for path, offset, length in request['reads']:
    try:
        reads.append({'ok': True, 'text': readFile(path, offset, length).decode('latin-1')})
    except ValueError as e:
        reads.append({'ok': False, 'fault': e.args[0]})
answer['reads'] = reads

answer['tails'] = [tailFile(path, offset, length) for path, offset, length in request['tails']]
answer['strips'] = [stripEscapes(s.encode('latin-1')).decode('latin-1') for s in request['strips']]

json.dump(answer, sys.stdout)
