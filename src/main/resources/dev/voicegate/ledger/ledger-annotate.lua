-- The final details of a call, or one relayed callback's outcome (appended, numbered in order).
-- KEYS[1] the call SID's key. ARGV[1] the entry prefix, ARGV[2] 'details' or 'delivery', ARGV[3] the JSON.
-- Details merge field by field: a null leaves the older value (a fetch knows no recordings, a recording callback
-- no price), as CallDetails.merge does in memory.
local entry = entry_of(KEYS[1], ARGV[1])
if not entry then
  return 0
end
if ARGV[2] == 'details' then
  local older = redis.call('HGET', entry, 'details')
  if not older then
    redis.call('HSET', entry, 'details', ARGV[3])
    return 1
  end
  local merged = cjson.decode(older)
  for name, value in pairs(cjson.decode(ARGV[3])) do
    if value ~= cjson.null then
      merged[name] = value
    end
  end
  -- cjson cannot tell an empty list from an empty object: an empty list becomes "unknown" rather than {}.
  for name, value in pairs(merged) do
    if type(value) == 'table' and next(value) == nil then
      merged[name] = cjson.null
    end
  end
  redis.call('HSET', entry, 'details', cjson.encode(merged))
else
  redis.call('HSET', entry, 'd:' .. redis.call('HINCRBY', entry, 'deliveries', 1), ARGV[3])
end
return 1
