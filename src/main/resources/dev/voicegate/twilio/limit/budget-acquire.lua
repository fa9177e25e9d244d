-- Takes one slot of an account's budget shared by every replica, if one is free (twilio/SharedBudget).
-- KEYS[1]: the account's leases, a sorted set of lease ids scored by expiry (ms, on Redis's clock).
-- ARGV: the bound, the lease time (ms), the new lease's id.
-- Returns {1, slots in use} when taken, {0, slots in use} when every slot is taken.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local used = redis.call('ZCARD', KEYS[1])
if used >= tonumber(ARGV[1]) then
  return {0, used}
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[3])
if redis.call('PTTL', KEYS[1]) < lease then
  redis.call('PEXPIRE', KEYS[1], lease)
end
return {1, used + 1}
