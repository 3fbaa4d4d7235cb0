<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AccessSection</name>
    <message>
        <source>Hosting ISP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server IPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Separated by commas or spaces</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BureauDecisions</name>
    <message>
        <source>Approve request %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve request %1 (%2)? Its ICP numbers are assigned now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request %1: the new phone number is approved. It is now %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request %1 is approved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject ICP number: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Website ICP numbers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request %1 is rejected.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BureauView</name>
    <message>
        <source>No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Province</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In review since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve the selected request and assign its ICP numbers (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject the selected request with a reason (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the bureau, longest in review first</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n request</numerusform>
            <numerusform>%n requests</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CancellationDialog</name>
    <message>
        <source>Check who verifies and submit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling the subject cancels its filing and every approved website of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling the website removes it from the filing; the subject stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling the access ends this ISP&apos;s hosting of the website; its filing stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The approved subject to cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The approved website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangeFilingDialog</name>
    <message>
        <source>Change filing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit what changes; you will see the changes before submitting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit this change?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change of %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a new password before you go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChooseSubjectDialog</name>
    <message>
        <source>Change filing: choose the approved subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the approved filing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message>
        <source>%1d %2h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1h %2m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1m</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EditUserDialog</name>
    <message>
        <source>Edit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new role signs the user out; they sign in again under it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EntryConfirmDialog</name>
    <message>
        <source>What changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After the change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No SMS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any one of them verifying is enough.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every one of them must verify.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These people will receive an SMS with a code. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (new number)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EntryDialogBase</name>
    <message>
        <source>New draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This form has changes that are not saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct returned request No. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit draft No. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned: %1. Correct it and submit again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft No. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to correct: click one to go to its field.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft No. %1 saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft No. %1 saved; not submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request No. %1 submitted: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EntrySections</name>
    <message>
        <source>Simplified Chinese</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traditional Chinese</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>English</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Korean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (leave empty to keep)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilingEntryDialog</name>
    <message>
        <source>New filing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Province</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>City</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holder name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mailing address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investor or supervising unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject principal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Websites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Website %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilingTableModel</name>
    <message>
        <source>Can be edited: Enter or double-click opens it in its form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Province</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by request number: newest first, or oldest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by business type, in the order of the type list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by state, in the order a request goes through</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by province, in the order of the province codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by subject name; filings without a name yet last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by submission time, latest first; requests never submitted last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by deadline, soonest first; requests without a running deadline last</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilingsView</name>
    <message>
        <source>Search: part of a subject name, website name or domain; a mobile or ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two characters or more are found anywhere in the subject name, the website names and the domains; one character, at the start of the subject name. Mobile and ID numbers are matched whole.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All provinces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New filing: Ctrl+N; the other entries: see the menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import from Excel…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit / resubmit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected draft (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n request</numerusform>
            <numerusform>%n requests</numerusform>
        </translation>
    </message>
    <message>
        <source>Request No. %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete draft No. %1 (%2, %3)?

It leaves the list and its records are withdrawn; its history stays in the timeline. This cannot be undone from the app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no subject name yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft No. %1 deleted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>Create the administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a new database. Create the administrator account; the administrator then adds the other users in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpDeskView</name>
    <message>
        <source>Caller&apos;s mobile number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last six of the ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resend code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification desk…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next caller (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the screen for the next caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tries left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resends left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sender number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests this number verifies in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS sent to this number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First SMS at about %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resend from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No request verifies with %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: verifications waiting: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No. %1: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: nothing waiting. No. %2 (%3): </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: nothing waiting. Verified No. %2 on %3; nothing more to do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: nothing waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caller</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import filings from Excel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in the import template (one row a website; rows with the same subject key are one filing), then choose the workbook. Nothing is saved until you import; the filings are saved as drafts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download import template…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose workbook…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No workbook chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import the good rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import only if all are good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the import template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new-filing-import-template.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a filled import template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workbook…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Import the %n good row(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s): </source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n good</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n with errors or held back</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source> (hover over a red cell to read its error)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n draft(s) from %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n row(s) skipped</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportPreviewModel</name>
    <message>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held back: another row of its subject key has errors</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>New filing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bureau review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not verified in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tries used up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS undeliverable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Noted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handed back to the ISP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject principal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Website principal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ISP staff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bureau reviewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Noon resend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manual resend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>China Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>China Unicom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>China Telecom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>China Broadnet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resident ID card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hong Kong/Macau permit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taiwan permit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Foreign permanent residence ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Government body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Social group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Individual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no SMS verification in this province yet: straight to bureau review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only remarks change: no SMS, straight to bureau review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this cancellation is not verified (a setting): straight to bureau review</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>Workstation locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked. %1 (%2): enter your password to go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ICP filing SMS verification</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Filings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending verifiers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned filings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bureau review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ICP filing SMS verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Beijing time %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewAccessDialog</name>
    <message>
        <source>New access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The approved website to host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) will be hosted by %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewWebsiteDialog</name>
    <message>
        <source>New website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The approved subject the website is added to</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OperationRunner</name>
    <message>
        <source>The workstation is locked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please wait</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <source>This is the local outbox of the embedded default: without an SMS endpoint configured, messages are stored here instead of being sent to phones. Verification codes are masked. With an endpoint set in Settings, messages go to the endpoint and no longer appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sender number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s), newest first</source>
        <translation>
            <numerusform>%n message, newest first</numerusform>
            <numerusform>%n messages, newest first</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PendingView</name>
    <message>
        <source>No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tries left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resends left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next resend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the selected mobile number in full; this is recorded in the timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resend code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending verifiers, soonest deadline first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resend code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The caller&apos;s last six characters of the ID number:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhoneChangeDialog</name>
    <message>
        <source>Whose number changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New mobile (gets the SMS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The bureau approves the new number first; then the code goes to the new number only, and passing it makes the number current.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The approved subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose whose number changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s mobile changes from %2 to the number entered.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PickedEntryDialog</name>
    <message>
        <source>Choose the approved record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit %1?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrincipalSection</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile (gets the SMS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Second phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emergency phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordPicker</name>
    <message>
        <source>The record of this request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record of this request: search to choose another</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%n approved record(s) found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing approved matches: try part of the name, a domain or the ICP number</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <source>Reject request %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why is it rejected? The ISP will read this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Common reasons (click one to use it):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the rejection:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a reason or pick one: the ISP reads it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RequestDetailDialog</name>
    <message>
        <source>Request No. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sender number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tries left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resends left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifiers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Principals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export timeline…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the timeline, with every event&apos;s details as recorded, as an .xlsx file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Websites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject principal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (verified)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entered by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ICP number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned because</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timeline-%1.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all must verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; deadline %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not sent yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnedExport</name>
    <message>
        <source>Request No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Province</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifiers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned at (Beijing time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note at (Beijing time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned filings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnedView</name>
    <message>
        <source>No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifiers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Province</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resubmit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit the selected request again: a fresh round with new codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the list as an .xlsx file (Ctrl+E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note on the selected request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand back to the ISP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the note to the ISP staff; the request stays returned for them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned to the ISP, latest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>Last %n day</numerusform>
            <numerusform>Last %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>Returns per day by reason, and the verification pass rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) returned now</source>
        <translation>
            <numerusform>%n request returned now</numerusform>
            <numerusform>%n requests returned now</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n not yet reviewed</source>
        <translation>
            <numerusform>, %n not yet reviewed</numerusform>
            <numerusform>, %n not yet reviewed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n return(s) in these days; no verification round ended in them</source>
        <translation>
            <numerusform>%n return in these days; no verification round ended in them</numerusform>
            <numerusform>%n returns in these days; no verification round ended in them</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n return(s) in these days; pass rate %1% (%2 of %3 rounds)</source>
        <translation>
            <numerusform>%n return in these days; pass rate %1% (%2 of %3 rounds)</numerusform>
            <numerusform>%n returns in these days; pass rate %1% (%2 of %3 rounds)</numerusform>
        </translation>
    </message>
    <message>
        <source>Verification pass rate (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass rate (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request %1 was resubmitted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handed back to the ISP with the note.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export returned filings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files of type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>returned-filings.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Saved %n returned filing(s) to %1</source>
        <translation>
            <numerusform>Saved %n returned filing to %1</numerusform>
            <numerusform>Saved %n returned filings to %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Revealer</name>
    <message>
        <source>Show in full</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SecretLabel</name>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the full number; this is recorded in the timeline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>Verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provinces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejection reasons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify subject cancellations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify website cancellations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify access cancellations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong tries allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round length (hours)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send delay (minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manual resends per round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds between sends to one number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic resend hour (Beijing time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sign-in lasts (hours)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock an untouched window after (minutes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sender number: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local outbox (this workstation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sends one message through the saved endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The endpoint is kept in this installation&apos;s config file, readable by its owner only; see the README for every key (headers, body template, status URL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>•••• saved (type to replace)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bearer token (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This installation has no config file to save to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to %1. The scheduler uses it from the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile number for the test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a test SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted by the endpoint: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Province</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the province table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS verification applies to filings of a province submitted on or after its start date; clear the date to switch it off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n unsaved change(s)</source>
        <translation>
            <numerusform>%n unsaved change</numerusform>
            <numerusform>%n unsaved changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n province(s).</source>
        <translation>
            <numerusform>Saved %n province.</numerusform>
            <numerusform>Saved %n provinces.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save reasons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reasons a bureau reviewer can pick when rejecting a request, one per line. They may always write their own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Saved %n reason(s).</source>
        <translation>
            <numerusform>Saved %n reason.</numerusform>
            <numerusform>Saved %n reasons.</numerusform>
        </translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes effect the next time the application starts.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SubjectPicker</name>
    <message>
        <source>Search approved subjects: name, domain or ICP number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holder name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ICP number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Province</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Principal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Websites</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimelineExport</name>
    <message>
        <source>Time (Beijing time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events as recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Must choose a new password at the first sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit name and role…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 can sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 can no longer sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password for %1 (they choose their own at the next sign-in):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password reset for %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VerificationDeskDialog</name>
    <message>
        <source>Verification desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The 6 digits from the SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile number the SMS went to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last six characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last six of the ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No. %1: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tries left in this round: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number verifies in no request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No. %1 (%2): </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No. %1: this number verified on %2; nothing more to do.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WebsitePicker</name>
    <message>
        <source>Search approved websites: name, domain, ICP number or subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ICP number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosted by</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WebsiteTab</name>
    <message>
        <source>Website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Website name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home page URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One domain per line, e.g. example.cn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service content</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Website language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre-approval type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre-approval number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Website remarks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The subject principal runs this website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Website principal</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
