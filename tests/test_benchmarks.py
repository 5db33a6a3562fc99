"""The benchmark harness reads its tools right (the benchmarks themselves run with `make bench`,
not here): wrk's report as wrk 4.1 prints it, and the Lua script that gives every request a
visitor's own cookie."""

from benchmarks.bench_pages import lua_for, parse_wrk

# Recorded from wrk 4.1.0 (Debian) against the step page: note the trailing blanks after
# the values in seconds, and the socket-error line that only appears when there are any.
WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:60025/vragen/email/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   775.79ms  244.49ms   1.13s    73.13%
    Req/Sec    23.21     13.58    40.00     33.33%
  Latency Distribution
     50%  849.79ms
     75%  886.78ms
     90%    1.03s\x20
     99%    1.13s\x20
  267 requests in 10.05s, 2.17MB read
  Socket errors: connect 0, read 0, write 0, timeout 11
  Non-2xx or 3xx responses: 2
Requests/sec:     26.57
Transfer/sec:    221.29KB
"""


def test_wrk_figures_are_read_in_milliseconds_whatever_unit_wrk_chose():
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests_per_second == 26.57
    assert result.p50_ms == 849.79
    assert result.p99_ms == 1130.0


def test_timeouts_and_bad_answers_are_counted_apart():
    result = parse_wrk(WRK_OUTPUT)
    assert result.socket_errors == 11
    assert result.non_2xx == 2


def test_each_request_of_the_step_benchmark_carries_the_next_visitors_cookie():
    script = lua_for(["sessionid=a", "sessionid=b"])
    assert 'local cookies = {"sessionid=a", "sessionid=b"}' in script
    assert '["X-Forwarded-Proto"] = "https"' in script
    assert "i % #cookies + 1" in script
