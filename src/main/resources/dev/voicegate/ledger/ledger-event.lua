-- A status event, as MemoryLedger does it: a redelivery (same dedupe key, or same token) is a duplicate; an event
-- with a lower sequence number than one seen, or a non-final one after a final one, is out of order but recorded.
-- A recorded event's call SID is published for the waiters of every replica.
-- KEYS[1] the call SID's key. ARGV[1] the entry prefix, ARGV[2] the dedupe key, ARGV[3] the token or '',
-- ARGV[4] the event (JSON), ARGV[5] the sequence number or '', ARGV[6] '1' for a final status, ARGV[7] the channel,
-- ARGV[8] the call SID.
local entry = entry_of(KEYS[1], ARGV[1])
if not entry then
  return 'unknown_call'
end
if redis.call('HEXISTS', entry, 'e:' .. ARGV[2]) == 1 then
  return 'duplicate'
end
if ARGV[3] ~= '' and redis.call('HSETNX', entry, 't:' .. ARGV[3], '1') == 0 then
  return 'duplicate'
end
local late = false
if ARGV[5] ~= '' then
  if tonumber(ARGV[5]) < tonumber(redis.call('HGET', entry, 'max_seq') or '-1') then
    late = true
  else
    redis.call('HSET', entry, 'max_seq', ARGV[5])
  end
end
if ARGV[6] == '1' then
  redis.call('HSET', entry, 'final', '1')
elseif redis.call('HEXISTS', entry, 'final') == 1 then
  late = true
end
redis.call('HSET', entry, 'e:' .. ARGV[2], ARGV[4])
redis.call('PUBLISH', ARGV[7], ARGV[8])
if late then
  return 'out_of_order'
end
return 'accepted'
