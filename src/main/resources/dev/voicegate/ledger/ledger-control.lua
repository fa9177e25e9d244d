-- An operator's control event, appended to the control log: a sorted set scored by a sequence number (from its own
-- counter), each member '<time ms>:<sequence>:<event JSON>'. The log keeps at most the cap, drops events older than
-- the retention (oldest first, a bounded number per write) and expires with the retention after the latest event.
-- KEYS[1] the log, KEYS[2] its counter. ARGV[1] the event's time (ms), ARGV[2] the event (JSON), ARGV[3] the cap,
-- ARGV[4] the retention (ms), ARGV[5] the oldest time kept (ms).
local seq = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], seq, ARGV[1] .. ':' .. seq .. ':' .. ARGV[2])
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
if over > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1)
end
for _ = 1, 100 do
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0)
  local at = oldest[1] and tonumber(string.match(oldest[1], '^(%d+):'))
  if not at or at >= tonumber(ARGV[5]) then
    break
  end
  redis.call('ZREM', KEYS[1], oldest[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return seq
