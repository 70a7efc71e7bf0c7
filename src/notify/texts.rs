//! The words of every notification, French and English side by side: subject, lines, the call to
//! action and the SMS. `{code}`, `{nature}`/`{Nature}`, `{body}`, `{note}`, `{deadline}`, `{link}`
//! are filled from the payload by `fill`.

use super::Template;
use crate::i18n::Lang;

/// Whether the payload's note is quoted under the lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    No,
    /// A template that has nothing to say without it: rendering refuses a missing note.
    Required,
    /// Quoted when there is one (an optional message from staff).
    IfAny,
}

/// Texts of one template in one language; `{code}`, `{nature}`, `{body}`, `{note}`, `{deadline}`
/// are filled from the payload. `{nature}` is the nature's name in lower case inside sentences.
pub struct Texts {
    pub subject: &'static str,
    pub lines: &'static [&'static str],
    /// The payload's note, shown as a quotation below the lines.
    pub quote: Quote,
    /// The payload's items are listed below the lines.
    pub list_items: bool,
    pub action: &'static str,
    pub sms: &'static str,
}

/// How to answer the verdict's messages by SMS, when the SMS channel is on (`{reply}` of the
/// treated and reminder SMS; `{number}`: the number to write to, `{code}` the request's).
pub fn reply_hint(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => " Répondez par SMS au {number} : 1 satisfait, 2 en partie, 3 non satisfait, ou RELANCE {code} et la raison.",
        Lang::En => " Reply by SMS to {number}: 1 satisfied, 2 partly, 3 not satisfied, or REOPEN {code} and the reason.",
    }
}

pub fn texts(template: Template, lang: Lang) -> Texts {
    use Template::*;
    match (template, lang) {
        (Merged | Unmerged | FollowedAnswered, _) => super::followers::texts(template, lang),
        (RequestRegistered, Lang::Fr) => Texts {
            subject: "Votre {nature} n° {code} est enregistrée",
            lines: &[
                "Bienvenue sur le Portail du citoyen Miliê.",
                "Votre {Nature} a bien été enregistrée. Le numéro de la demande est : {code}.",
                "Veuillez noter ce numéro : il vous servira pour suivre l'état d'avancement du traitement.",
                "Organisme : {body}.",
                "Un analyste va d'abord examiner votre requête ; vous serez informé(e) de chaque étape.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Suivre ma requête",
            sms: "Miliê : votre {nature} est enregistrée sous le numéro {code}. Suivi : {link}",
        },
        (RequestRegistered, Lang::En) => Texts {
            subject: "Your {nature} no. {code} is registered",
            lines: &[
                "Welcome to Miliê, the citizens' portal.",
                "Your {nature} has been registered. The request number is: {code}.",
                "Please keep this number: you will need it to follow how your request is handled.",
                "Public body: {body}.",
                "An analyst will first examine your request; you will be told of every step.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Track my request",
            sms: "Milie: your {nature} is registered under number {code}. Track it: {link}",
        },
        (SentBackForReformulation, Lang::Fr) => Texts {
            subject: "Votre requête n° {code} est à reformuler",
            lines: &[
                "L'analyste a examiné votre {nature} n° {code} adressée à : {body}.",
                "Il vous demande de la reformuler avant de pouvoir la transmettre :",
            ],
            quote: Quote::Required,
            list_items: false,
            action: "Modifier ma requête",
            sms: "Miliê : votre requête {code} est à reformuler. Voir : {link}",
        },
        (SentBackForReformulation, Lang::En) => Texts {
            subject: "Your request no. {code} needs rewording",
            lines: &[
                "The analyst has examined your {nature} no. {code} to: {body}.",
                "They ask you to reword it before it can be passed on:",
            ],
            quote: Quote::Required,
            list_items: false,
            action: "Edit my request",
            sms: "Milie: your request {code} needs rewording. See: {link}",
        },
        (Validated, Lang::Fr) => Texts {
            subject: "Votre réclamation n° {code} est transmise",
            lines: &[
                "Votre réclamation n° {code} a été jugée recevable.",
                "Elle est transmise à : {body}, qui va la traiter (étape 2). Vous serez informé(e) de sa réponse.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Suivre ma requête",
            sms: "Miliê : votre réclamation {code} est recevable et transmise à l'organisme. Suivi : {link}",
        },
        (Validated, Lang::En) => Texts {
            subject: "Your complaint no. {code} has been passed on",
            lines: &[
                "Your complaint no. {code} has been found admissible.",
                "It has been passed on to: {body}, which will handle it (stage 2). You will be told of its answer.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Track my request",
            sms: "Milie: your complaint {code} is admissible and passed on to the body. Track: {link}",
        },
        (ForwardedForInformation, Lang::Fr) => Texts {
            subject: "Votre {nature} n° {code} a été transmise",
            lines: &[
                "Votre {nature} n° {code} a été lue par l'analyste.",
                "Elle est mise à la disposition de : {body}, pour prise en compte. Merci de votre contribution.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Voir ma requête",
            sms: "Miliê : votre {nature} {code} a été lue et transmise à l'organisme. Merci.",
        },
        (ForwardedForInformation, Lang::En) => Texts {
            subject: "Your {nature} no. {code} has been passed on",
            lines: &[
                "Your {nature} no. {code} has been read by the analyst.",
                "It has been made available to: {body}, to be taken into account. Thank you for your contribution.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "See my request",
            sms: "Milie: your {nature} {code} has been read and passed on to the body. Thank you.",
        },
        (Treated, Lang::Fr) => Texts {
            subject: "Réponse à votre réclamation n° {code}",
            lines: &["{body} a traité votre réclamation n° {code}. Message du ministère :"],
            quote: Quote::Required,
            list_items: false,
            action: "Lire et donner mon avis",
            sms: "Miliê : l'organisme a répondu à votre réclamation {code}.{reply} Donnez votre avis : {link}",
        },
        (Treated, Lang::En) => Texts {
            subject: "Answer to your complaint no. {code}",
            lines: &["{body} has handled your complaint no. {code}. Its message:"],
            quote: Quote::Required,
            list_items: false,
            action: "Read and give my opinion",
            sms: "Milie: the body has answered your complaint {code}.{reply} Give your opinion: {link}",
        },
        (AnalystReply, Lang::Fr) => Texts {
            subject: "Message de l'analyste sur votre requête n° {code}",
            lines: &["L'analyste vous a répondu au sujet de votre {nature} n° {code} ({body}) :"],
            quote: Quote::Required,
            list_items: false,
            action: "Lire le retour",
            sms: "Miliê : l'analyste a répondu au sujet de votre requête {code}. Voir : {link}",
        },
        (AnalystReply, Lang::En) => Texts {
            subject: "Message from the analyst on your request no. {code}",
            lines: &["The analyst has answered about your {nature} no. {code} ({body}):"],
            quote: Quote::Required,
            list_items: false,
            action: "Read the answer",
            sms: "Milie: the analyst has answered about your request {code}. See: {link}",
        },
        (Reopened, Lang::Fr) => Texts {
            subject: "Votre requête n° {code} est relancée",
            lines: &["Vous avez relancé votre {nature} n° {code}.", "Elle sera de nouveau traitée par : {body}."],
            quote: Quote::No,
            list_items: false,
            action: "Suivre ma requête",
            sms: "Miliê : votre requête {code} est relancée. Suivi : {link}",
        },
        (Reopened, Lang::En) => Texts {
            subject: "Your request no. {code} has been reopened",
            lines: &["You have reopened your {nature} no. {code}.", "It will be handled again by: {body}."],
            quote: Quote::No,
            list_items: false,
            action: "Track my request",
            sms: "Milie: your request {code} has been reopened. Track: {link}",
        },
        (VerdictReminder, Lang::Fr) => Texts {
            subject: "Votre avis sur le traitement de la réclamation n° {code}",
            lines: &[
                "{body} a traité votre réclamation n° {code}.",
                "Êtes-vous satisfait, partiellement satisfait ou non satisfait ? Vous pouvez aussi relancer la requête.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Donner mon avis",
            sms: "Miliê : donnez votre avis sur la réponse à votre réclamation {code}.{reply} En ligne : {link}",
        },
        (VerdictReminder, Lang::En) => Texts {
            subject: "Your opinion on the handling of complaint no. {code}",
            lines: &[
                "{body} has handled your complaint no. {code}.",
                "Are you satisfied, partly satisfied or not satisfied? You can also reopen the request.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Give my opinion",
            sms: "Milie: give your opinion on the answer to your complaint {code}.{reply} Online: {link}",
        },
        (ForgottenCodes, Lang::Fr) => Texts {
            subject: "Vos codes de requête",
            lines: &["Vous avez demandé les codes des requêtes soumises avec cette adresse électronique. Les voici :"],
            quote: Quote::No,
            list_items: true,
            action: "Suivre une requête",
            // By SMS the items are the codes alone (`notifier::forgotten_codes`).
            sms: "Miliê : les codes de vos requêtes sont {items}. Suivez-les sur le portail avec votre numéro.",
        },
        (ForgottenCodes, Lang::En) => Texts {
            subject: "Your request codes",
            lines: &["You asked for the codes of the requests submitted with this email address. Here they are:"],
            quote: Quote::No,
            list_items: true,
            action: "Track a request",
            sms: "Milie: the codes of your requests are {items}. Track them on the portal with your number.",
        },
        (TrackingCode, Lang::Fr) => Texts {
            subject: "Votre code de vérification pour la requête {code}",
            lines: &["Votre code de vérification pour suivre la requête {code} est {note}. Il est valable 10 minutes. Ne le communiquez à personne."],
            quote: Quote::No,
            list_items: false,
            action: "Suivre la requête",
            sms: "Miliê : {note} est votre code pour suivre la requête {code}. Valable 10 minutes. Ne le communiquez à personne.",
        },
        (TrackingCode, Lang::En) => Texts {
            subject: "Your verification code for request {code}",
            lines: &["Your verification code to track request {code} is {note}. It is valid for 10 minutes. Do not share it with anyone."],
            quote: Quote::No,
            list_items: false,
            action: "Track the request",
            sms: "Milie: {note} is your code to track request {code}. Valid for 10 minutes. Do not share it with anyone.",
        },
        (StaffSignIn, Lang::Fr) => Texts {
            subject: "Votre lien de connexion",
            lines: &[
                "Voici votre lien de connexion à l'espace agents de Miliê. Il est valable 10 minutes et ne sert qu'une fois.",
                "Si vous n'avez pas demandé à vous connecter, ignorez ce message.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Me connecter",
            sms: "Miliê : votre lien de connexion a été envoyé par mail.",
        },
        (StaffSignIn, Lang::En) => Texts {
            subject: "Your sign-in link",
            lines: &[
                "Here is your link to sign in to Miliê's staff area. It is valid for 10 minutes and works once.",
                "If you did not ask to sign in, ignore this message.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Sign me in",
            sms: "Milie: your sign-in link has been sent by email.",
        },
        (StaffInvitation, Lang::Fr) => Texts {
            subject: "Votre accès à l'espace agents",
            lines: &[
                "Un administrateur vous a ouvert un compte dans l'espace agents de Miliê, le portail des réclamations, suggestions et observations des citoyens.",
                "Ce lien vous connecte une première fois ; il est valable 72 heures et ne sert qu'une fois. Ensuite, demandez un lien de connexion avec votre adresse électronique sur la page de connexion.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Me connecter",
            sms: "Miliê : votre accès à l'espace agents a été envoyé par mail.",
        },
        (StaffInvitation, Lang::En) => Texts {
            subject: "Your access to the staff workspace",
            lines: &[
                "An administrator opened an account for you in Miliê's staff workspace, the portal for citizens' complaints, suggestions and observations.",
                "This link signs you in a first time; it is valid for 72 hours and works once. After that, ask for a sign-in link with your email address on the sign-in page.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Sign me in",
            sms: "Milie: your access to the staff workspace has been sent by email.",
        },
        (StaffSignInThrottled, Lang::Fr) => Texts {
            subject: "Demandes de connexion limitées pour votre adresse",
            lines: &[
                "Des liens de connexion à l'espace agents ont été demandés pour votre adresse, depuis des navigateurs où vous ne vous êtes pas encore connecté, plus souvent que la limite horaire ne le permet : les demandes suivantes n'ont pas reçu de lien.",
                "Si c'était vous : demandez le lien depuis un navigateur où vous vous êtes déjà connecté (il garde sa propre limite), ou réessayez dans {deadline} minutes.",
                "Si ce n'était pas vous, personne ne peut se connecter sans le lien envoyé à cette adresse ; prévenez un administrateur si cela se répète.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Ouvrir la page de connexion",
            sms: "Miliê : des demandes de connexion pour votre adresse ont été limitées, voir le mail.",
        },
        (StaffSignInThrottled, Lang::En) => Texts {
            subject: "Sign-in requests limited for your address",
            lines: &[
                "Sign-in links to the staff workspace were asked for your address, from browsers you have not signed in on yet, more often than the hourly limit allows: the later requests got no link.",
                "If it was you: ask for the link from a browser you have signed in on before (it keeps a limit of its own), or try again in {deadline} minutes.",
                "If it was not you, nobody can sign in without the link sent to this address; tell an administrator if it happens again.",
            ],
            quote: Quote::No,
            list_items: false,
            action: "Open the sign-in page",
            sms: "Milie: sign-in requests for your address were limited, see the email.",
        },
        (StaffDigest, Lang::Fr) => Texts {
            subject: "Requêtes à échéance",
            lines: &["Voici les requêtes qui vous attendent et arrivent à échéance ou l'ont dépassée :"],
            quote: Quote::No,
            list_items: true,
            action: "Ouvrir la file d'attente",
            sms: "Miliê : des requêtes arrivent à échéance, voir le mail.",
        },
        (StaffDigest, Lang::En) => Texts {
            subject: "Requests at their deadline",
            lines: &["These requests are waiting for you and are at or past their deadline:"],
            quote: Quote::No,
            list_items: true,
            action: "Open the queue",
            sms: "Milie: requests are at their deadline, see the email.",
        },
        (JobFailing, Lang::Fr) => Texts {
            subject: "Une tâche quotidienne échoue",
            lines: &["Une tâche quotidienne de Miliê échoue à chaque essai ; elle est réessayée d'elle-même, de plus en plus espacée. Ce message n'est envoyé qu'une fois par jour :"],
            quote: Quote::No,
            list_items: true,
            action: "Ouvrir l'administration",
            sms: "Miliê : une tâche quotidienne échoue, voir le mail.",
        },
        (JobFailing, Lang::En) => Texts {
            subject: "A daily job is failing",
            lines: &["One of Miliê's daily jobs fails at each try; it is tried again by itself, less and less often. This message is sent once a day at most:"],
            quote: Quote::No,
            list_items: true,
            action: "Open the administration",
            sms: "Milie: a daily job is failing, see the email.",
        },
        (StaffEscalation, Lang::Fr) => Texts {
            subject: "Escalade : requêtes au double de leur délai",
            lines: &["Ces requêtes ont dépassé deux fois leur délai d'examen ou de traitement :"],
            quote: Quote::No,
            list_items: true,
            action: "Ouvrir l'espace agents",
            sms: "Miliê : des requêtes ont dépassé deux fois leur délai, voir le mail.",
        },
        (StaffEscalation, Lang::En) => Texts {
            subject: "Escalation: requests at twice their deadline",
            lines: &["These requests are past twice their triage or treatment deadline:"],
            quote: Quote::No,
            list_items: true,
            action: "Open the staff area",
            sms: "Milie: requests are past twice their deadline, see the email.",
        },
        (TakenIntoAccount, Lang::Fr) => Texts {
            subject: "Votre {nature} n° {code} a été prise en compte",
            lines: &["Votre {Nature} n° {code} a été prise en compte par {body}.", "Merci d'avoir contribué à l'amélioration du service public."],
            quote: Quote::IfAny,
            list_items: false,
            action: "Voir ma requête",
            sms: "Milie : votre {nature} {code} a ete prise en compte par l'organisme. Suivi : {link}",
        },
        (TakenIntoAccount, Lang::En) => Texts {
            subject: "Your {nature} no. {code} has been taken into account",
            lines: &["Your {nature} no. {code} has been taken into account by {body}.", "Thank you for helping to improve public services."],
            quote: Quote::IfAny,
            list_items: false,
            action: "See my request",
            sms: "Milie: your {nature} {code} has been taken into account by the body. Track: {link}",
        },
        (StaffAlert, Lang::Fr) => Texts {
            subject: "{note} — requête n° {code}",
            lines: &["{note}.", "{Nature} n° {code} — {body}."],
            quote: Quote::No,
            list_items: false,
            action: "Ouvrir la requête",
            sms: "Miliê : {note} (requête {code}).",
        },
        (StaffAlert, Lang::En) => Texts {
            subject: "{note} — request no. {code}",
            lines: &["{note}.", "{Nature} no. {code} — {body}."],
            quote: Quote::No,
            list_items: false,
            action: "Open the request",
            sms: "Milie: {note} (request {code}).",
        },
        (BodyAlert, Lang::Fr) => Texts {
            subject: "{Nature} n° {code} adressée à {body}",
            lines: &[
                "Une {nature} (n° {code}) adressée à {body} sur Miliê, le portail du citoyen, attend d'être prise en compte.",
                "Votre organisme n'a pas de point focal actif sur Miliê : ce message est envoyé à son adresse générale. Pour désigner un point focal, écrivez à l'administrateur de Miliê.",
                "Message du citoyen :",
            ],
            quote: Quote::Required,
            list_items: false,
            action: "Espace agents de Miliê",
            sms: "Miliê : {nature} {code} adressée à {body}, voir le mail.",
        },
        (BodyAlert, Lang::En) => Texts {
            subject: "{Nature} no. {code} to {body}",
            lines: &[
                "A {nature} (no. {code}) to {body} on Miliê, the citizens' portal, is waiting to be taken into account.",
                "Your body has no active focal point on Miliê: this message goes to its general address. To appoint a focal point, write to Miliê's administrator.",
                "The citizen's message:",
            ],
            quote: Quote::Required,
            list_items: false,
            action: "Miliê staff area",
            sms: "Milie: {nature} {code} to {body}, see the email.",
        },
        (ChannelReply, Lang::Fr) => Texts {
            subject: "Réponse à votre message",
            lines: &["{note}"],
            quote: Quote::No,
            list_items: false,
            action: "Suivre une requête",
            sms: "{note}",
        },
        (ChannelReply, Lang::En) => Texts {
            subject: "Answer to your message",
            lines: &["{note}"],
            quote: Quote::No,
            list_items: false,
            action: "Track a request",
            sms: "{note}",
        },
        (StaffSummary, Lang::Fr) => Texts {
            subject: "Résumé des requêtes qui vous attendent",
            lines: &["Depuis votre dernier résumé :"],
            quote: Quote::No,
            list_items: true,
            action: "Ouvrir mes requêtes",
            sms: "Miliê : des requêtes vous attendent, voir le mail.",
        },
        (StaffSummary, Lang::En) => Texts {
            subject: "Summary of the requests waiting for you",
            lines: &["Since your last summary:"],
            quote: Quote::No,
            list_items: true,
            action: "Open my requests",
            sms: "Milie: requests are waiting for you, see the email.",
        },
    }
}
