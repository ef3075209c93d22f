// Warn before the idle sign-out. The server ends the session whatever this script does
// (accounts.middleware.SessionTimeoutMiddleware); this is only a courtesy. No inline
// script: settings come from data attributes on #session-timeout.
(function () {
  'use strict'
  var banner = document.getElementById('session-timeout')
  if (!banner || !window.fetch) return
  var idleMs = parseInt(banner.getAttribute('data-idle-seconds'), 10) * 1000
  var warnMs = parseInt(banner.getAttribute('data-warning-seconds'), 10) * 1000
  var signedOutUrl = banner.getAttribute('data-signed-out-url')
  var form = banner.querySelector('form')
  var warnTimer, endTimer

  function schedule () {
    window.clearTimeout(warnTimer)
    window.clearTimeout(endTimer)
    banner.hidden = true
    warnTimer = window.setTimeout(warn, Math.max(idleMs - warnMs, 0))
    // Reload once the server has ended the session: it answers with the sign-in page.
    endTimer = window.setTimeout(function () { window.location.assign(signedOutUrl) }, idleMs + 2000)
  }

  function warn () {
    banner.hidden = false
    var button = form.querySelector('button')
    if (button) button.focus()
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault()
    window.fetch(form.action, {
      method: 'POST',
      body: new FormData(form),
      credentials: 'same-origin',
      headers: { 'X-Requested-With': 'fetch' }
    }).then(function (response) {
      if (response.ok) schedule()
      else window.location.assign(signedOutUrl)
    })
  })

  schedule()
})()
