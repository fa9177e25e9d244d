-- Prepended to every ledger script. Keys derived inside a script (an entry's hash from its id) share the hash tag
-- {ledger} with the script's KEYS (LedgerKeys), so they are in the same slot, on the same node of a Redis Cluster.
-- The call SID's key points to the entry and expires with it.
local function link(sid_key, id, entry)
  local ttl = redis.call('PTTL', entry)
  if ttl > 0 then
    redis.call('SET', sid_key, id, 'PX', ttl)
  else
    redis.call('SET', sid_key, id)
  end
end
-- The entry of a call SID, or nil when the ledger does not hold it (never recorded, or expired).
local function entry_of(sid_key, entry_prefix)
  local id = redis.call('GET', sid_key)
  if not id then
    return nil
  end
  local entry = entry_prefix .. id
  if redis.call('EXISTS', entry) == 0 then
    return nil
  end
  return entry
end
