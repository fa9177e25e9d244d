-- The newest attempt of an idempotency key still without a call SID gets this SID and the outcome placed. Nothing
-- when the SID is already in the ledger: a retried write must not mark a second attempt.
-- KEYS[1] the idempotency key's index, KEYS[2] the call SID's key. ARGV[1] the call SID, ARGV[2] the entry prefix.
if redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, 99)) do
  local entry = ARGV[2] .. id
  if redis.call('EXISTS', entry) == 1 and redis.call('HEXISTS', entry, 'sid') == 0 then
    redis.call('HSET', entry, 'sid', ARGV[1], 'outcome', 'placed')
    link(KEYS[2], id, entry)
    return 1
  end
end
return 0
