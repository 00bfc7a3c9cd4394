#!/usr/bin/env python3
"""A minimal event listener (supervisor's protocol, stdlib only): logs each event to stderr."""
import sys


def main():
    while True:
        sys.stdout.write('READY\n')
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            return
        headers = dict(token.split(':', 1) for token in line.split())
        payload = sys.stdin.read(int(headers['len']))
        sys.stderr.write('%s %s\n' % (headers['eventname'], payload.strip()))
        sys.stderr.flush()
        sys.stdout.write('RESULT 2\nOK')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
