-- Keeps a replica's leases of one account alive (twilio/SharedBudget), every third of the lease time.
-- KEYS[1]: the account's leases; ARGV: the lease time (ms), then the ids this replica holds.
-- A lease Redis no longer has (it expired while Redis was out of reach, or Redis restarted empty) is added again:
-- the replica still holds that slot. Returns {leases added again, slots in use}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local restored = 0
for i = 2, #ARGV do
  restored = restored + redis.call('ZADD', KEYS[1], now + lease, ARGV[i])
end
if redis.call('PTTL', KEYS[1]) < lease then
  redis.call('PEXPIRE', KEYS[1], lease)
end
return {restored, redis.call('ZCARD', KEYS[1])}
