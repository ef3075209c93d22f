// Warn before the idle sign-out. The server ends the session whatever this script does
// (accounts.middleware.SessionTimeoutMiddleware); this is only a courtesy. No inline
// script: settings come from data attributes on #session-timeout.
//
// It never loses typed work (issue 16):
// - When the warning opens while someone is typing in a field, focus stays in the field
//   (the banner is role="alert", so it is still announced) and the next keystroke in a
//   field counts as "Stay signed in": nothing typed goes to the banner's button.
// - Otherwise focus moves to "Stay signed in", and returns to where it was afterwards.
// - Shortly before the server would end the session, a form marked data-autosave (the
//   referral's sections) is saved as "Save and come back later", then the user is
//   signed out, as the server would have done.
(function () {
  'use strict'
  var banner = document.getElementById('session-timeout')
  if (!banner || !window.fetch) return
  var idleMs = parseInt(banner.getAttribute('data-idle-seconds'), 10) * 1000
  var warnMs = parseInt(banner.getAttribute('data-warning-seconds'), 10) * 1000
  var signedOutUrl = banner.getAttribute('data-signed-out-url')
  var form = banner.querySelector('form')
  var autosaveForm = document.querySelector('form[data-autosave]')
  // Before the server's clock runs out: it counts from a request up to 15 s earlier
  // than this page's load (ACTIVITY_RESOLUTION_SECONDS).
  var autosaveLeadMs = Math.min(30000, warnMs / 2)
  var warnTimer, endTimer, autosaveTimer
  var returnFocusTo = null
  var warning = false

  function schedule () {
    window.clearTimeout(warnTimer)
    window.clearTimeout(endTimer)
    window.clearTimeout(autosaveTimer)
    banner.hidden = true
    warning = false
    warnTimer = window.setTimeout(warn, Math.max(idleMs - warnMs, 0))
    if (autosaveForm) {
      autosaveTimer = window.setTimeout(saveAndSignOut, Math.max(idleMs - autosaveLeadMs, 0))
    }
    // Reload once the server has ended the session: it answers with the sign-in page.
    endTimer = window.setTimeout(function () { window.location.assign(signedOutUrl) }, idleMs + 2000)
  }

  function isTypingIn (el) {
    if (!el || el === document.body) return false
    if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true
    return el.tagName === 'INPUT' &&
      ['button', 'submit', 'reset', 'checkbox', 'radio', 'file', 'image'].indexOf(el.type) === -1
  }

  function warn () {
    var active = document.activeElement
    returnFocusTo = active && active !== document.body ? active : null
    banner.hidden = false
    warning = true
    if (isTypingIn(active)) return
    var button = form.querySelector('button')
    if (button) button.focus()
  }

  function restoreFocus () {
    var target = returnFocusTo
    returnFocusTo = null
    if (target && document.contains(target) && document.activeElement !== target) {
      target.focus({ preventScroll: true })
    }
  }

  function keepAlive () {
    return window.fetch(form.action, {
      method: 'POST',
      body: new FormData(form),
      credentials: 'same-origin',
      headers: { 'X-Requested-With': 'fetch' }
    }).then(function (response) {
      if (!response.ok) {
        window.location.assign(signedOutUrl)
        return
      }
      schedule()
      restoreFocus()
    })
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault()
    keepAlive()
  })

  // Typing in a field while the warning shows: the person is here.
  document.addEventListener('input', function (event) {
    if (warning && !banner.contains(event.target)) {
      warning = false
      keepAlive()
    }
  }, true)

  function saveAndSignOut () {
    var later = autosaveForm.querySelector('[name="' + autosaveForm.getAttribute('data-autosave') + '"]')
    if (!later) return
    var data = new FormData(autosaveForm)
    data.append(later.name, later.value || '')
    window.clearTimeout(endTimer)
    // redirect: 'manual' leaves the "draft saved" message (a cookie) for the sign-in
    // page instead of spending it on the page the save redirects to.
    window.fetch(autosaveForm.action || window.location.href, {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
      redirect: 'manual'
    }).catch(function () {}).then(signOut)
  }

  function signOut () {
    var signOutForm = document.querySelector('form[data-sign-out]')
    if (signOutForm) signOutForm.submit()
    else window.location.assign(signedOutUrl)
  }

  schedule()
})()
