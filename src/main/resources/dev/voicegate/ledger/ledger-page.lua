-- One batch of a listing, newest first: the members of an index scored from ARGV[1] down to ARGV[2], from ARGV[3]
-- on, at most ARGV[4], each followed by its score and its entry as HGETALL answers (empty once expired).
-- KEYS[1] the index. ARGV[5] the entry prefix.
local members = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES', 'LIMIT', ARGV[3], ARGV[4])
local out = {}
for i = 1, #members, 2 do
  out[#out + 1] = members[i]
  out[#out + 1] = members[i + 1]
  out[#out + 1] = redis.call('HGETALL', ARGV[5] .. members[i])
end
return out
