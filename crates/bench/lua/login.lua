-- POST /login with the right password, each request from its own anonymous session
-- (a login replaces the session and its CSRF token, so none can be used twice).
-- Arguments: sessions-file username password origin; the file holds "cookie token" lines.
local sessions = {}
local used = 0
local body, headers

function init(args)
  for line in io.lines(args[1]) do
    local cookie, token = line:match("^(%S+) (%S+)$")
    if cookie then table.insert(sessions, { cookie, token }) end
  end
  body = "&username=" .. args[2] .. "&password=" .. args[3] .. "&next="
  headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = args[4] }
end

function request()
  used = used + 1
  local s = sessions[((used - 1) % #sessions) + 1]
  headers["Cookie"] = s[1]
  return wrk.format("POST", "/login", headers, "csrf_token=" .. s[2] .. body)
end
