#!/bin/sh
# Stands in for the Python interpreter in supervisor's own end-to-end tests (upstream-e2e.py sets sys.executable
# to this file): `-m supervisor.supervisord|supervisorctl|pidproxy ARGS` runs svd's daemon, svd ctl or svd's
# pidproxy instead; anything else runs Python. Every daemon gets its own child log folder (-q), so that its start
# never clears the AUTO logs other tests keep in /tmp, the fixtures' default.
if [ "$1" = "-m" ]; then
  case "$2" in
    supervisor.supervisord) shift 2; exec node "$SVD_BIN" daemon -q "$SVD_E2E_CHILDLOGDIR" "$@" ;;
    supervisor.supervisorctl) shift 2; exec node "$SVD_BIN" ctl "$@" ;;
    supervisor.pidproxy) shift 2; exec node "$SVD_BIN" pidproxy "$@" ;;
  esac
fi
exec /usr/bin/python3 "$@"
