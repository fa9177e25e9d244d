-- Gives slots back (twilio/SharedBudget). KEYS[1]: the account's leases; ARGV: the lease ids (one when a request
-- ends; every one a replica still holds when it stops). Returns the slots still in use.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREM', KEYS[1], unpack(ARGV))
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
