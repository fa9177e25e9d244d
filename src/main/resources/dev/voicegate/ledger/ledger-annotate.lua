-- The final details of a call, or one relayed callback's outcome (appended, numbered in order).
-- KEYS[1] the call SID's key. ARGV[1] the entry prefix, ARGV[2] 'details' or 'delivery', ARGV[3] the JSON.
local entry = entry_of(KEYS[1], ARGV[1])
if not entry then
  return 0
end
if ARGV[2] == 'details' then
  redis.call('HSET', entry, 'details', ARGV[3])
else
  redis.call('HSET', entry, 'd:' .. redis.call('HINCRBY', entry, 'deliveries', 1), ARGV[3])
end
return 1
