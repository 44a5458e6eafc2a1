package web

// cannedReply is a ready answer an agent can start a public reply from: the help page's
// own common answers, in its words, so an agent does not retype them.
type cannedReply struct {
	Slug, Title, Body string
}

var cannedReplies = []cannedReply{
	{"password-reset", "Resetting your password",
		"If you have forgotten your password and are not logged in, go to the login screen and click “Don’t remember your password”. We will email you a link to reset it. If you are logged in and want to change it, click My Profile in the sidebar, then Account Details, enter your new password and click save."},
	{"two-factor-documents", "Two-factor reset: the document we need",
		"To reset your two-factor authentication, please attach a photo or scan of a document that shows your name and the address you are registered with in the patient portal. We accept a UK driving licence, passport, utility bill, council tax bill or current student card."},
	{"blocked-ip", "Cannot see the login screen (blocked IP address)",
		"If you cannot see the login screen, your IP address has been blocked from the system. Please reply with your IP address (the support centre’s “What is my IP address?” page shows it) and we will unblock it."},
	{"blank-screen", "Blank screen after logging in",
		"If you can log in but see a blank screen, please check that you are using the latest version of Chrome and that your connection speed is at least 2 Mbps."},
	{"it-access", "Still cannot log in: permission for IT support",
		"If you have tried the steps above and still cannot log in, please reply giving IT support permission to change your password and log in as you to diagnose the problem. The permission is limited in time, you can withdraw it at any time, and everything we do under it is recorded."},
	{"equipment-test", "Testing your equipment",
		"Please test your equipment well before the appointment with the pre-call test on the support centre’s Equipment test page. It checks your internet connection, microphone and webcam. Please use Chrome for the test and for the appointment."},
	{"support-login", "Which details to use on the support site",
		"The support site has its own accounts: they are not the details you use to log in to the patient portal. You need to register an account on the support site to submit tickets, though you may use the same email and password."},
	{"account-details", "Updating your account details",
		"To update your name, email address or phone number, log in to the portal and click My Profile. There you can change your personal details and the email and password you log in with."},
	{"pending-v1", "Pending payments before 3rd Feb (V1)",
		"All pending payments due to you before 3rd Feb are managed through the old version of the back office (V1). They remain there and are being ticked off by the accounts department over the next few weeks. Payments for work done from 3rd Feb (the V2 go-live date) appear in the new system."},
	{"getting-paid", "How you get paid",
		"You can only be paid for an appointment once the post-consultation form has been completed at the end (or soon after). Once the form is submitted, any pending payments for that appointment are released and transferred to your account soon after. Billable items you raised for a patient are paid once the patient has paid the invoice."},
}

func cannedBySlug(slug string) (cannedReply, bool) {
	for _, c := range cannedReplies {
		if c.Slug == slug {
			return c, true
		}
	}
	return cannedReply{}, false
}
