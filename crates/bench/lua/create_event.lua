-- POST the event form with three changes (-1, +2, -1) as the logged-in manager, with
-- the session's CSRF token and a fresh idempotency key per request. Request n moves
-- entries 3n, 3n+1 and 3n+2 of the list (modulo its length): given three entries,
-- every request moves the same ones.
-- Arguments: cookie token mission key-prefix origin entry...
local path, headers, fixed, prefix
local entries = {}
local deltas = { "-1", "2", "-1" }
local counter = 0

function init(args)
  path = "/manage/missions/" .. args[3] .. "/events/new"
  prefix = args[4]
  headers = {
    ["Cookie"] = args[1],
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = args[5],
    ["Accept-Encoding"] = "gzip, br",
  }
  for i = 6, #args do
    entries[#entries + 1] = args[i]
  end
  fixed = "csrf_token=" .. args[2]
    .. "&kind=Combat&title=Bench+event&description=Recorded+under+load.&occurred_at=2026-12-01T12%3A00"
    .. "&location=Altis&notes="
end

function request()
  counter = counter + 1
  local rows = ""
  for k = 0, 2 do
    local entry = entries[((counter * 3 + k) % #entries) + 1]
    rows = rows .. "&change_entry=" .. entry .. "&change_delta=" .. deltas[k + 1] .. "&change_note=bench"
  end
  return wrk.format("POST", path, headers, fixed .. rows .. "&idempotency_key=" .. prefix .. string.format("%016x", counter))
end
