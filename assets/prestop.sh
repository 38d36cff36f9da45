#!/bin/sh
# graceful-prestop: the preStop hook of cdk8s-graceful.
#
# Takes this instance out of its service registry, waits until consumers have noticed, optionally calls the
# application once more (e.g. Spring Boot's /actuator/shutdown), and always exits 0 within its budget:
#
#   total time <= GRACEFUL_WAIT_SECONDS + (number of calls) x GRACEFUL_CALL_TIMEOUT_SECONDS + about 1 s
#
# Configured only through environment variables (see docs/prestop-script.md for the full table):
#   GRACEFUL_WAIT_SECONDS (required), GRACEFUL_CALL_TIMEOUT_SECONDS, GRACEFUL_NAME, GRACEFUL_TAKEOUT_URL,
#   GRACEFUL_TAKEOUT_METHOD, GRACEFUL_TAKEOUT_BODY, GRACEFUL_TAKEOUT_CONTENT_TYPE, GRACEFUL_TOKEN,
#   GRACEFUL_TOKEN_HEADER, GRACEFUL_TOKEN_QUERY, GRACEFUL_LOGIN_URL, GRACEFUL_LOGIN_USERNAME,
#   GRACEFUL_LOGIN_PASSWORD, GRACEFUL_AFTER_URL, GRACEFUL_AFTER_METHOD, GRACEFUL_LOG_TARGET.
# Arguments, when given, are a custom take-out command (argv) run instead of the take-out URL call.
#
# Written for POSIX sh (dash, bash, busybox ash). Values from the environment are only ever passed as quoted
# arguments: no eval, no unquoted expansion, no command built from a string.

# A log target whose reader went away must not kill the hook: writes fail with EPIPE instead.
trap '' PIPE
# Nothing is written to stdout, and no process started here may keep the hook's stdout open after it ends.
exec 1>/dev/null
gp_lc_all_set=${LC_ALL+x}
gp_lc_all=${LC_ALL-}
LC_ALL=C
export LC_ALL

gp_nl='
'

# ---------------------------------------------------------------------------------------------- tools

if command -v busybox >/dev/null 2>&1; then
  gp_busybox=1
  gp_applets=$(busybox --list 2>/dev/null)
else
  gp_busybox=
  gp_applets=
fi

# True when busybox is on PATH and has applet $1.
has_applet() {
  [ -n "$gp_busybox" ] || return 1
  case "$gp_nl$gp_applets$gp_nl" in
    *"$gp_nl$1$gp_nl"*) return 0 ;;
  esac
  return 1
}

# Images with a busybox binary but without its applet links: reach the plain tools through busybox.
if ! command -v sleep >/dev/null 2>&1 && has_applet sleep; then sleep() { busybox sleep "$@"; }; fi
if ! command -v date >/dev/null 2>&1 && has_applet date; then date() { busybox date "$@"; }; fi
if ! command -v od >/dev/null 2>&1 && has_applet od; then od() { busybox od "$@"; }; fi
if ! command -v sed >/dev/null 2>&1 && has_applet sed; then sed() { busybox sed "$@"; }; fi
if ! command -v tr >/dev/null 2>&1 && has_applet tr; then tr() { busybox tr "$@"; }; fi
if ! command -v wc >/dev/null 2>&1 && has_applet wc; then wc() { busybox wc "$@"; }; fi
# head cuts every reply to its first bytes (see kept). Without one, replies are not read at all (logged).
gp_head=1
if ! command -v head >/dev/null 2>&1; then
  if has_applet head; then
    head() { busybox head "$@"; }
  else
    gp_head=
    head() { while read -r gp_line; do :; done; }
  fi
fi

# Centiseconds since boot (or since the epoch where /proc/uptime cannot be read): for the elapsed time only.
now_cs() {
  gp_up=
  if read -r gp_up gp_rest < /proc/uptime 2>/dev/null; then
    :
  fi
  case $gp_up in
    *[!0-9.]* | '' | .* | *.*.*) gp_up=$(date +%s 2>/dev/null)00 ;;
    *.?) gp_up=${gp_up%.*}${gp_up#*.}0 ;;
    *.??) gp_up=${gp_up%.*}${gp_up#*.} ;;
    *.*) gp_up=${gp_up%%.*}00 ;;
    *) gp_up=${gp_up}00 ;;
  esac
  case $gp_up in
    *[!0-9]* | 00) gp_up=0 ;;
  esac
  while :; do
    case $gp_up in
      0?*) gp_up=${gp_up#0} ;;
      *) break ;;
    esac
  done
  printf '%s' "$gp_up"
}

gp_start=$(now_cs)

# One line of printable text: line breaks, tabs and other control characters become spaces.
one_line() {
  printf '%s' "$1" | tr '\000-\037\177' ' '
}

# clip MAX VALUE: VALUE as one line of at most MAX characters (for quoting configuration in the log).
clip() {
  one_line "$2" | sed "s/^\(.\{$1\}\).*\$/\1.../"
}

# ------------------------------------------------------------------------------------------------ log

gp_name=$(one_line "${GRACEFUL_NAME-}")
gp_log=${GRACEFUL_LOG_TARGET:-/proc/1/fd/1}
# Opening it in a subshell: a failed redirection must not end this shell.
if ! ( : >> "$gp_log" ) 2>/dev/null; then
  gp_log_problem=$gp_log
  gp_log=
fi

# log STEP MESSAGE: one line to the log target (stderr when the target cannot be written).
log() {
  gp_ts=$(date -u '+%Y-%m-%dT%H:%M:%SZ' 2>/dev/null)
  [ -n "$gp_ts" ] || gp_ts=-
  if [ -n "$gp_log" ]; then
    if printf 'graceful-prestop %s [%s] %s: %s\n' "$gp_ts" "$gp_name" "$1" "$2" 2>/dev/null >> "$gp_log"; then
      return 0
    fi
  fi
  printf 'graceful-prestop %s [%s] %s: %s\n' "$gp_ts" "$gp_name" "$1" "$2" >&2
}

elapsed() {
  gp_now=$(now_cs)
  gp_el=$((gp_now - gp_start))
  [ "$gp_el" -ge 0 ] || gp_el=0
  printf '%d.%02d s' $((gp_el / 100)) $((gp_el % 100))
}

if [ -n "${gp_log_problem-}" ]; then
  log start "log target $(clip 200 "$gp_log_problem") cannot be written; logging to stderr"
fi

# --------------------------------------------------------------------------------------- configuration

# Whole seconds without leading zeros, or empty when $1 is not a whole number.
whole_seconds() {
  gp_n=$1
  case $gp_n in
    '' | *[!0-9]*) return 0 ;;
  esac
  while :; do
    case $gp_n in
      0?*) gp_n=${gp_n#0} ;;
      *) break ;;
    esac
  done
  printf '%s' "$gp_n"
}

gp_wait=$(whole_seconds "${GRACEFUL_WAIT_SECONDS-}")
if [ -z "$gp_wait" ]; then
  if [ -z "${GRACEFUL_WAIT_SECONDS-}" ]; then
    log config "GRACEFUL_WAIT_SECONDS is not set; nothing done, exit 0"
  else
    log config "GRACEFUL_WAIT_SECONDS ($(clip 40 "$GRACEFUL_WAIT_SECONDS")) is not a whole number of seconds; nothing done, exit 0"
  fi
  exit 0
fi

gp_timeout=$(whole_seconds "${GRACEFUL_CALL_TIMEOUT_SECONDS-}")
if [ -n "${GRACEFUL_CALL_TIMEOUT_SECONDS-}" ] && { [ -z "$gp_timeout" ] || [ "$gp_timeout" = 0 ]; }; then
  log config "GRACEFUL_CALL_TIMEOUT_SECONDS is not a whole number of seconds above 0; using 3"
  gp_timeout=
fi
[ -n "$gp_timeout" ] || gp_timeout=3

# The method in upper case, or empty when it is not one this script sends.
http_method() {
  case $1 in
    [Pp][Oo][Ss][Tt]) printf POST ;;
    [Pp][Uu][Tt]) printf PUT ;;
    [Dd][Ee][Ll][Ee][Tt][Ee]) printf DELETE ;;
    [Gg][Ee][Tt]) printf GET ;;
  esac
}

# True when $1 may be put into a header or request line: no CR, LF or other control characters.
header_safe() {
  case $1 in
    *[[:cntrl:]]*) return 1 ;;
  esac
  return 0
}

# Every byte as %XX: valid for any value. od writes each byte as blank(s) and two hex digits, so turning
# the blanks into % takes linear time (a sed s/../%&/g is quadratic in busybox: 25 s for 1 MB).
pct_encode() {
  printf '%s' "$1" | od -An -v -tx1 | tr -d '\n\t' | tr -s ' ' | tr ' abcdef' '%ABCDEF'
}

# The URL as it may be logged: user:password@ and the values of secret-looking query parameters redacted.
redact_url() {
  printf '%s' "$1" | sed \
    -e 's#^\([A-Za-z][A-Za-z0-9+.-]*://\)[^/]*@#\1<redacted>@#' \
    -e 's#\([?&][^=&]*[Tt][Oo][Kk][Ee][Nn][^=&]*=\)[^&]*#\1<redacted>#g' \
    -e 's#\([?&][^=&]*[Pp][Aa][Ss][Ss][^=&]*=\)[^&]*#\1<redacted>#g' \
    -e 's#\([?&][^=&]*[Ss][Ee][Cc][Rr][Ee][Tt][^=&]*=\)[^&]*#\1<redacted>#g' \
    -e 's#\([?&][^=&]*[Kk][Ee][Yy][^=&]*=\)[^&]*#\1<redacted>#g' \
    -e 's#\([?&][Aa][Uu][Tt][Hh][^=&]*=\)[^&]*#\1<redacted>#g'
}

# ------------------------------------------------------------------------------------- bounded calls

# How commands are bounded: coreutils or busybox `timeout` (SIGKILL after the timeout), or a watchdog.
# Old busybox `timeout -t SECS` does not take `timeout -s KILL SECS PROG`: it fails the probe.
probe_timeout() {
  "$@" -s KILL 5 sleep 0 >/dev/null 2>&1 && return 0
  [ -n "$gp_busybox" ] && "$@" -s KILL 5 busybox true >/dev/null 2>&1
}
if command -v timeout >/dev/null 2>&1 && probe_timeout timeout; then
  gp_bound=timeout
elif has_applet timeout && probe_timeout busybox timeout; then
  gp_bound=busybox
else
  gp_bound=watchdog
fi

# bounded SECONDS ARGV...: runs the program ARGV (not a shell function), killed (SIGKILL) when it is still
# running after SECONDS; status 137 then. The killed program is waited for by a subshell whose own stderr is
# /dev/null: dash, bash and busybox ash report "Killed" for such a program, and that report goes nowhere,
# while the program's own stderr is kept (fd 4).
bounded() {
  gp_t=$1
  shift
  (
    exec 4>&2 2>/dev/null
    case $gp_bound in
      timeout) (exec 2>&4 4>&-; exec timeout -s KILL "$gp_t" "$@") ;;
      busybox) (exec 2>&4 4>&-; exec busybox timeout -s KILL "$gp_t" "$@") ;;
      *)
        # An asynchronous command gets /dev/null as stdin: hand it ours through fd 3.
        exec 3<&0
        (exec 2>&4 4>&- 3<&-; exec "$@") <&3 &
        gp_pid=$!
        exec 3<&-
        # The watchdog holds none of our output open, so a capture of this call ends when the program ends.
        (sleep "$gp_t" && kill -9 "$gp_pid") </dev/null >/dev/null 2>&1 4>&- &
        gp_dog=$!
        wait "$gp_pid"
        gp_st=$?
        kill -9 "$gp_dog" 2>/dev/null
        exit "$gp_st"
        ;;
    esac
    exit $?
  )
}

# ---------------------------------------------------------------------------------------- HTTP client

# What is read of a reply: at most this many bytes (status line, headers and body together, as the client
# prints them). Everything done with a reply (status, token) works on this much text only, so it takes
# milliseconds whatever the server sends; the rest of the reply is never read by the script.
gp_keep=65536
# The longest access token taken from a login reply (Nacos' JWTs are a few hundred bytes).
gp_token_max=4096

gp_client=
gp_wget=
if command -v curl >/dev/null 2>&1; then
  gp_client=curl
elif command -v wget >/dev/null 2>&1; then
  case $(wget --version 2>/dev/null) in
    *'GNU Wget'*) gp_client=gnu-wget ;;
    *) gp_client=busybox-wget gp_wget=wget ;;
  esac
elif has_applet wget; then
  gp_client=busybox-wget
  gp_wget=busybox
fi
# PUT and DELETE with busybox wget (GET and POST only) go as a raw HTTP/1.0 request through nc.
gp_nc=
if [ "$gp_client" = busybox-wget ]; then
  if has_applet nc; then
    gp_nc=busybox
  elif command -v nc >/dev/null 2>&1; then
    gp_nc=nc
  fi
fi

# Results of http_call.
hc_status=
hc_reason=
hc_out=
hc_rc=
hc_cut=

# kept SECONDS ARGV...: runs `bounded SECONDS ARGV` (stdin as given) and prints at most gp_keep bytes of its
# output (stdout and stderr together), then a line `graceful-rc:<its exit status>`. A program that writes
# more is cut off by `head -c` (SIGPIPE is ignored: it gets EPIPE and ends, or is killed at SECONDS), so
# the output is bounded in size and the whole step in time. The status goes through its own capture (fd 6),
# which ends only after head has written everything: it cannot land in the middle of the output.
kept() {
  {
    gp_krc=$({ { bounded "$@" 2>&1 5>&- 6>&-; printf '%s' "$?" >&6; } | head -c "$gp_keep" >&5 6>&-; } 6>&1)
    printf '\ngraceful-rc:%s\n' "$gp_krc"
  } 5>&1
}

# take_kept OUTPUT: sets hc_out (what kept printed), hc_rc (the program's status) and hc_cut (1 when the
# output filled gp_keep: the reply was larger, only its start was read).
take_kept() {
  hc_rc=${1##*graceful-rc:}
  hc_out=${1%"$gp_nl"graceful-rc:*}
  case $hc_rc in
    '' | *[!0-9]*) hc_rc=1 ;;
  esac
  hc_cut=
  [ "${#hc_out}" -lt "$gp_keep" ] || hc_cut=1
}

# Sets hc_reason from hc_status, the client's exit status $1 and its output (never logged as such: it may
# hold the URL with its token).
describe_failure() {
  if [ -z "$gp_head" ]; then
    hc_reason="the reply could not be read: no head command in the image"
    return 0
  fi
  if [ -n "$hc_status" ]; then
    hc_reason="HTTP $hc_status"
    return 0
  fi
  case $1 in
    124 | 137 | 143) hc_reason="no answer within $gp_timeout s"; return 0 ;;
    # from timeout or the shell, not from the client: it could not be started (e.g. an argument over the
    # system's size limit); its message would read as a timeout below ("timeout: failed to run command")
    126 | 127) hc_reason="$gp_client could not be started (exit $1)"; return 0 ;;
  esac
  if [ -n "$hc_cut" ]; then
    hc_reason="the reply is larger than $((gp_keep / 1024)) KiB and its first $((gp_keep / 1024)) KiB hold no HTTP status"
    return 0
  fi
  case $gp_client:$1 in
    curl:6) hc_reason="could not resolve the host"; return 0 ;;
    curl:7) hc_reason="connection refused or host unreachable"; return 0 ;;
    curl:28) hc_reason="no answer within $gp_timeout s"; return 0 ;;
    curl:35 | curl:51 | curl:58 | curl:60) hc_reason="TLS handshake or certificate failed (curl exit $1)"; return 0 ;;
  esac
  case $hc_out in
    *[Rr]efused*) hc_reason="connection refused" ;;
    *[Tt]imed\ out* | *[Tt]imeout*) hc_reason="no answer within $gp_timeout s" ;;
    *[Rr]esolv* | *[Bb]ad\ address* | *[Nn]ame\ or\ service*) hc_reason="could not resolve the host" ;;
    *[Uu]nreachable*) hc_reason="host unreachable" ;;
    *) hc_reason="$gp_client exit status $1, no HTTP status" ;;
  esac
}

# The last HTTP status in hc_out (curl's marker line, or a status line that wget -S / nc printed). hc_out
# is at most gp_keep bytes (kept): this takes milliseconds.
parse_status() {
  hc_status=$(printf '%s\n' "$hc_out" | sed -n \
    -e 's/^graceful-status:\([1-9][0-9][0-9]\)$/\1/p' \
    -e 's/^ *HTTP\/[0-9.]* \([1-9][0-9][0-9]\).*$/\1/p' | sed -n '$p')
}

# http_call METHOD URL BODY_GIVEN BODY CONTENT_TYPE HEADER_NAME HEADER_VALUE CAPTURE
# One HTTP request bounded by the call timeout. Sets hc_status (3 digits, or empty when no answer came),
# hc_reason (why it failed), hc_out (the client's messages, plus the response headers and body when CAPTURE
# is 1; at most gp_keep bytes), hc_cut (1 when that limit cut the reply) and hc_rc (the client's exit
# status). Returns 0 on 2xx.
http_call() {
  hc_m=$1 hc_url=$2 hc_has_body=$3 hc_body=$4 hc_ct=$5 hc_hn=$6 hc_hv=$7 hc_capture=$8
  hc_status= hc_reason= hc_out= hc_rc= hc_cut=
  hc_sink=/dev/null
  [ "$hc_capture" = 1 ] && hc_sink=-
  case $gp_client in
    curl)
      # -q: no ~/.curlrc; -g: brackets and braces in the URL are literal (no globbing); -D -: the status line
      # and headers come first, as with wget -S, so the status is known even when the body is cut or slow
      set -- curl -q -g -sS -D - -o "$hc_sink" -w '\ngraceful-status:%{http_code}\n' \
        --connect-timeout "$gp_timeout" --max-time "$gp_timeout" -X "$hc_m"
      [ -n "$hc_hn" ] && set -- "$@" -H "$hc_hn: $hc_hv"
      # The body goes through stdin: a body starting with @ is sent as it is, not read as a file name.
      [ "$hc_has_body" = 1 ] && set -- "$@" -H "Content-Type: $hc_ct" --data-binary @-
      set -- "$@" "$hc_url"
      take_kept "$(printf '%s' "$hc_body" | kept "$gp_timeout" "$@")"
      ;;
    gnu-wget)
      set -- wget -nv -S -O "$hc_sink" --tries=1 --timeout="$gp_timeout" --max-redirect=0 --method="$hc_m"
      [ -n "$hc_hn" ] && set -- "$@" --header="$hc_hn: $hc_hv"
      [ "$hc_has_body" = 1 ] && set -- "$@" --header="Content-Type: $hc_ct" --body-data="$hc_body"
      set -- "$@" "$hc_url"
      take_kept "$(kept "$gp_timeout" "$@" </dev/null)"
      ;;
    busybox-wget)
      case $hc_m in
        GET | POST)
          if [ "$gp_wget" = busybox ]; then set -- busybox wget; else set -- wget; fi
          set -- "$@" -q -S -O "$hc_sink"
          [ -n "$hc_hn" ] && set -- "$@" --header "$hc_hn: $hc_hv"
          if [ "$hc_m" = POST ]; then
            [ "$hc_has_body" = 1 ] && set -- "$@" --header "Content-Type: $hc_ct"
            set -- "$@" --post-data "$hc_body"
          fi
          set -- "$@" "$hc_url"
          # Never wget -T: it crashes Debian's busybox. The bound comes from outside.
          take_kept "$(kept "$gp_timeout" "$@" </dev/null)"
          ;;
        *)
          raw_http_call || return 1
          ;;
      esac
      ;;
    *)
      hc_reason="no HTTP client (curl, wget) in the image"
      return 1
      ;;
  esac
  parse_status
  case $hc_status in
    2??) return 0 ;;
  esac
  describe_failure "$hc_rc"
  return 1
}

# PUT or DELETE as a raw HTTP/1.0 request through busybox nc, for http:// URLs. Uses the hc_* values.
raw_http_call() {
  if [ -z "$gp_nc" ]; then
    hc_reason="busybox wget cannot send $hc_m and there is no nc in the image"
    hc_rc=1
    return 1
  fi
  case $hc_url in
    [Hh][Tt][Tt][Pp]://*) hc_rest=${hc_url#*://} ;;
    *)
      hc_reason="busybox wget cannot send $hc_m, and $hc_m over https needs curl or GNU wget"
      hc_rc=1
      return 1
      ;;
  esac
  hc_auth=${hc_rest%%[/?#]*}
  hc_path=${hc_rest#"$hc_auth"}
  hc_path=${hc_path%%#*}
  case $hc_path in
    '') hc_path=/ ;;
    '?'*) hc_path=/$hc_path ;;
  esac
  case $hc_auth in
    *@*)
      hc_reason="a user name in the URL is not supported with nc"
      hc_rc=1
      return 1
      ;;
    \[*\]:*)
      hc_host=${hc_auth%%]*}
      hc_host=${hc_host#\[}
      hc_port=${hc_auth##*]:}
      ;;
    \[*\])
      hc_host=${hc_auth#\[}
      hc_host=${hc_host%]}
      hc_port=80
      ;;
    *:*)
      hc_host=${hc_auth%%:*}
      hc_port=${hc_auth#*:}
      ;;
    *)
      hc_host=$hc_auth
      hc_port=80
      ;;
  esac
  case $hc_port in
    '' | *[!0-9]*) hc_host= ;;
  esac
  case $hc_host in
    '' | *[!A-Za-z0-9.:_-]*)
      hc_reason="cannot parse the host and port of the URL"
      hc_rc=1
      return 1
      ;;
  esac
  hc_len=0
  [ "$hc_has_body" = 1 ] && hc_len=$(printf '%s' "$hc_body" | wc -c | tr -d ' \t')
  take_kept "$(
    {
      exec 2>/dev/null
      printf '%s %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: graceful-prestop\r\nAccept: */*\r\nConnection: close\r\n' \
        "$hc_m" "$hc_path" "$hc_auth"
      [ -n "$hc_hn" ] && printf '%s: %s\r\n' "$hc_hn" "$hc_hv"
      [ "$hc_has_body" = 1 ] && printf 'Content-Type: %s\r\n' "$hc_ct"
      printf 'Content-Length: %s\r\n\r\n' "$hc_len"
      [ "$hc_has_body" = 1 ] && printf '%s' "$hc_body"
      # Keep our side open until the answer is in or nc is killed (some servers drop a request on a
      # half-closed connection). These sleeps hold nothing but nc's input; they end by themselves.
      { sleep "$gp_timeout"; sleep 1; } &
    } | if [ "$gp_nc" = busybox ]; then
      kept "$gp_timeout" busybox nc "$hc_host" "$hc_port"
    else
      kept "$gp_timeout" nc "$hc_host" "$hc_port"
    fi
  )"
  # Only the status line counts: a body cannot fake it.
  hc_out=${hc_out%%"$gp_nl"*}
  return 0
}

# ------------------------------------------------------------------------------------ checks on values

# url_problem URL: why URL cannot be called (empty when it can).
url_problem() {
  case $1 in
    *[[:cntrl:][:space:]]*) printf 'contains whitespace or control characters' ; return 0 ;;
    [Hh][Tt][Tt][Pp]://?* | [Hh][Tt][Tt][Pp][Ss]://?*) ;;
    *) printf 'is not an http:// or https:// URL' ; return 0 ;;
  esac
}

# with_query URL NAME ENCODED_VALUE: URL (without #fragment) with NAME=ENCODED_VALUE appended to its query.
with_query() {
  wq_url=${1%%#*}
  case $wq_url in
    *[?]*)
      case ${wq_url#*[?]} in
        '' | *'&') printf '%s%s=%s' "$wq_url" "$2" "$3" ;;
        *) printf '%s&%s=%s' "$wq_url" "$2" "$3" ;;
      esac
      ;;
    *) printf '%s?%s=%s' "$wq_url" "$2" "$3" ;;
  esac
}

# ------------------------------------------------------------------------------------------------ run

log start "wait ${gp_wait} s, call timeout ${gp_timeout} s, HTTP client ${gp_client:-none}, bound by ${gp_bound}"

gp_calls=0

if [ "$#" -gt 0 ]; then
  # ------------------------------------------------------------------ take-out by a custom command
  [ -n "${GRACEFUL_TAKEOUT_URL-}" ] && log take-out "GRACEFUL_TAKEOUT_URL is ignored: a take-out command is given"
  [ -n "${GRACEFUL_LOGIN_URL-}" ] && log login "skipped: a take-out command is given"
  log take-out "running the take-out command $(clip 80 "$1") ($(($# - 1)) more argument(s)), at most ${gp_timeout} s"
  gp_calls=1
  # Its output is not kept (it could hold secrets and would break the log's line format; a process it
  # leaves behind could hold the hook's output open): only its exit status is logged.
  (
    if [ -n "$gp_lc_all_set" ]; then LC_ALL=$gp_lc_all; else unset LC_ALL; fi
    exec >/dev/null 2>&1 </dev/null
    bounded "$gp_timeout" "$@"
  )
  gp_rc=$?
  case $gp_rc in
    0) log take-out "ok: the take-out command exited 0" ;;
    124 | 137) log take-out "failed: the take-out command was killed after ${gp_timeout} s; the instance may still be registered" ;;
    126 | 127) log take-out "failed: the take-out command could not be run (exit ${gp_rc}); the instance may still be registered" ;;
    *) log take-out "failed: the take-out command exited ${gp_rc}; the instance may still be registered" ;;
  esac
elif [ -z "${GRACEFUL_TAKEOUT_URL-}" ]; then
  log take-out "no GRACEFUL_TAKEOUT_URL and no take-out command: nothing to call, waiting only"
else
  # ------------------------------------------------------------------------ take-out by HTTP call
  gp_url=$GRACEFUL_TAKEOUT_URL
  gp_method=$(http_method "${GRACEFUL_TAKEOUT_METHOD:-POST}")
  gp_token=
  gp_token_header=${GRACEFUL_TOKEN_HEADER-}
  gp_token_query=${GRACEFUL_TOKEN_QUERY-}
  gp_skip=

  gp_problem=$(url_problem "$gp_url")
  if [ -n "$gp_problem" ]; then
    gp_skip="GRACEFUL_TAKEOUT_URL $gp_problem"
  elif [ -z "$gp_method" ]; then
    gp_skip="GRACEFUL_TAKEOUT_METHOD ($(clip 20 "$GRACEFUL_TAKEOUT_METHOD")) is not POST, PUT, DELETE or GET"
  elif [ -z "$gp_client" ]; then
    gp_skip="no HTTP client (curl, wget) in the image"
  fi

  case $gp_token_header in
    *[!A-Za-z0-9_.-]*)
      log config "GRACEFUL_TOKEN_HEADER is not a header name (letters, digits, - _ .); no token header"
      gp_token_header=
      ;;
  esac
  case $gp_token_query in
    *[!A-Za-z0-9_.~-]*)
      log config "GRACEFUL_TOKEN_QUERY is not a plain parameter name (letters, digits, - _ . ~); no token parameter"
      gp_token_query=
      ;;
  esac

  # ---------------------------------------------------------------------------------- login (Nacos)
  if [ -n "${GRACEFUL_LOGIN_URL-}" ] && [ -z "$gp_skip" ]; then
    [ -n "${GRACEFUL_TOKEN-}" ] && log config "GRACEFUL_TOKEN is not used: the token comes from GRACEFUL_LOGIN_URL"
    [ -n "$gp_token_header" ] || [ -n "$gp_token_query" ] || gp_token_query=accessToken
    gp_problem=$(url_problem "$GRACEFUL_LOGIN_URL")
    if [ -n "$gp_problem" ]; then
      log login "failed: GRACEFUL_LOGIN_URL $gp_problem; taking out without a token"
    else
      log login "POST $(redact_url "$GRACEFUL_LOGIN_URL")"
      gp_calls=$((gp_calls + 1))
      gp_form="username=$(pct_encode "${GRACEFUL_LOGIN_USERNAME-}")&password=$(pct_encode "${GRACEFUL_LOGIN_PASSWORD-}")"
      http_call POST "$GRACEFUL_LOGIN_URL" 1 "$gp_form" application/x-www-form-urlencoded '' '' 1
      gp_rc=$?
      if [ -n "$hc_cut" ]; then
        # a Nacos login reply is a few hundred bytes: one that filled gp_keep is refused wherever its token is
        log login "failed: the reply is larger than $((gp_keep / 1024)) KiB (only that much is read${hc_status:+; HTTP $hc_status}); taking out without a token"
      elif [ "$gp_rc" != 0 ]; then
        log login "failed: $hc_reason; taking out without a token"
      elif [ "$hc_rc" != 0 ]; then
        # The client did not end cleanly: the reply is not whole, and a token in it may be cut.
        case $gp_client:$hc_rc in
          *:124 | *:137 | *:143 | curl:28) gp_why="did not end within $gp_timeout s" ;;
          *) gp_why="did not arrive whole ($gp_client exit $hc_rc)" ;;
        esac
        log login "failed: HTTP $hc_status but the reply $gp_why; taking out without a token"
      else
        # On at most gp_keep bytes (the reply as kept): milliseconds, also for busybox sed. The value must
        # end as a JSON string does, before `,` or `}`: a reply cut short is not completed by a quote in the
        # client's own messages (wget's last line quotes its output file).
        gp_token=$(printf '%s' "$hc_out" | tr -d '\r\n' | sed -n 's/^.*"accessToken"[ ]*:[ ]*"\([^"]*\)"[[:blank:]]*[,}].*$/\1/p')
        if [ -z "$gp_token" ]; then
          log login "failed: HTTP $hc_status but no accessToken in the reply; taking out without a token"
        elif [ "${#gp_token}" -gt "$gp_token_max" ]; then
          log login "failed: the accessToken in the reply is longer than $gp_token_max bytes; taking out without a token"
          gp_token=
        elif ! header_safe "$gp_token"; then
          log login "failed: the accessToken in the reply contains control characters; taking out without a token"
          gp_token=
        else
          log login "ok: HTTP $hc_status, got an access token"
        fi
      fi
    fi
    unset gp_form
  elif [ -n "${GRACEFUL_TOKEN-}" ]; then
    if ! header_safe "$GRACEFUL_TOKEN"; then
      log config "GRACEFUL_TOKEN contains CR, LF or other control characters; not sent"
    elif [ -z "$gp_token_header" ] && [ -z "$gp_token_query" ]; then
      log config "GRACEFUL_TOKEN is set but neither GRACEFUL_TOKEN_HEADER nor GRACEFUL_TOKEN_QUERY; not sent"
    else
      gp_token=$GRACEFUL_TOKEN
    fi
  fi

  if [ -n "$gp_skip" ]; then
    log take-out "could not take the instance out: $gp_skip; the instance may still be registered"
  else
    gp_has_body=
    gp_ct=
    if [ -n "${GRACEFUL_TAKEOUT_BODY-}" ]; then
      gp_has_body=1
      gp_ct=${GRACEFUL_TAKEOUT_CONTENT_TYPE:-application/json}
      if ! header_safe "$gp_ct"; then
        log config "GRACEFUL_TAKEOUT_CONTENT_TYPE contains control characters; using application/json"
        gp_ct=application/json
      fi
    fi
    gp_call_url=$gp_url
    gp_log_url=$(redact_url "$gp_url")
    gp_hn=
    gp_hv=
    if [ -n "$gp_token" ]; then
      if [ -n "$gp_token_query" ]; then
        gp_call_url=$(with_query "$gp_url" "$gp_token_query" "$(pct_encode "$gp_token")")
        gp_log_url=$(with_query "$gp_log_url" "$gp_token_query" '<redacted>')
      fi
      if [ -n "$gp_token_header" ]; then
        gp_hn=$gp_token_header
        gp_hv=$gp_token
      fi
    fi
    gp_what="$gp_method $gp_log_url"
    [ -n "$gp_hn" ] && gp_what="$gp_what (token in header $gp_hn)"
    [ -n "$gp_has_body" ] && gp_what="$gp_what, $gp_ct body of $(printf '%s' "$GRACEFUL_TAKEOUT_BODY" | wc -c | tr -d ' \t') bytes"
    log take-out "$gp_what"
    gp_calls=$((gp_calls + 1))
    if http_call "$gp_method" "$gp_call_url" "$gp_has_body" "${GRACEFUL_TAKEOUT_BODY-}" "$gp_ct" "$gp_hn" "$gp_hv" 0; then
      log take-out "ok: HTTP $hc_status"
    else
      log take-out "failed: $hc_reason; the instance may still be registered"
    fi
  fi
  gp_token= gp_hv= gp_call_url=
fi

# ---------------------------------------------------------------------------------------------- wait
log wait "waiting ${gp_wait} s for consumers to stop calling this instance"
if command -v sleep >/dev/null 2>&1; then
  sleep "$gp_wait"
  gp_rc=$?
  if [ "$gp_rc" -eq 0 ]; then
    log wait "done"
  else
    log wait "sleep exited ${gp_rc}"
  fi
else
  log wait "could not wait: no sleep command in the image"
fi

# ------------------------------------------------------------------------------------------- after
if [ -n "${GRACEFUL_AFTER_URL-}" ]; then
  gp_method=$(http_method "${GRACEFUL_AFTER_METHOD:-POST}")
  gp_problem=$(url_problem "$GRACEFUL_AFTER_URL")
  if [ -n "$gp_problem" ]; then
    log after "not called: GRACEFUL_AFTER_URL $gp_problem"
  elif [ -z "$gp_method" ]; then
    log after "not called: GRACEFUL_AFTER_METHOD ($(clip 20 "$GRACEFUL_AFTER_METHOD")) is not POST, PUT, DELETE or GET"
  elif [ -z "$gp_client" ]; then
    log after "not called: no HTTP client (curl, wget) in the image"
  else
    log after "$gp_method $(redact_url "$GRACEFUL_AFTER_URL")"
    gp_calls=$((gp_calls + 1))
    if http_call "$gp_method" "$GRACEFUL_AFTER_URL" '' '' '' '' '' 0; then
      log after "ok: HTTP $hc_status"
    else
      log after "failed: $hc_reason"
    fi
  fi
fi

log done "exit 0 after $(elapsed) (${gp_calls} call(s))"
exit 0
