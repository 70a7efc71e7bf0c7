//! The words of the messages a duplicate's citizen receives: merged into a request about the
//! same problem, unmerged, and the answer of the request they follow (French and English).

use super::texts::{Quote, Texts};
use super::Template;
use crate::i18n::Lang;

pub fn texts(template: Template, lang: Lang) -> Texts {
    use Template::*;
    match (template, lang) {
        (Merged, Lang::Fr) => Texts {
            subject: "Votre requête n° {code} est regroupée avec une autre",
            lines: &[
                "D'autres citoyens ont signalé le même problème que votre {nature} n° {code} à : {body}.",
                "Ces requêtes sont regroupées pour être traitées ensemble. Vous suivez l'avancement avec votre propre numéro, {code}, et vous serez informé(e) de la réponse.",
            ],
            quote: Quote::IfAny,
            list_items: false,
            action: "Suivre ma requête",
            sms: "Miliê : votre requête {code} est regroupée avec d'autres sur le même problème. Suivi : {link}",
        },
        (Merged, Lang::En) => Texts {
            subject: "Your request no. {code} is grouped with another",
            lines: &[
                "Other citizens reported the same problem as your {nature} no. {code} to: {body}.",
                "These requests are grouped to be handled together. You follow them with your own number, {code}, and you will be told of the answer.",
            ],
            quote: Quote::IfAny,
            list_items: false,
            action: "Track my request",
            sms: "Milie: your request {code} is grouped with others about the same problem. Track: {link}",
        },
        (Unmerged, Lang::Fr) => Texts {
            subject: "Votre requête n° {code} est de nouveau suivie seule",
            lines: &["Votre {nature} n° {code} n'est plus regroupée avec une autre requête : elle est de nouveau traitée seule par : {body}."],
            quote: Quote::IfAny,
            list_items: false,
            action: "Suivre ma requête",
            sms: "Miliê : votre requête {code} est de nouveau suivie seule. Suivi : {link}",
        },
        (Unmerged, Lang::En) => Texts {
            subject: "Your request no. {code} is followed on its own again",
            lines: &["Your {nature} no. {code} is no longer grouped with another request: {body} handles it on its own again."],
            quote: Quote::IfAny,
            list_items: false,
            action: "Track my request",
            sms: "Milie: your request {code} is followed on its own again. Track: {link}",
        },
        (FollowedAnswered, Lang::Fr) => Texts {
            subject: "Réponse à votre requête n° {code}",
            lines: &["{body} a donné suite à la requête avec laquelle votre {nature} n° {code} est regroupée."],
            quote: Quote::IfAny,
            list_items: false,
            action: "Voir ma requête",
            sms: "Miliê : l'organisme a répondu au problème signalé dans votre requête {code}. Voir : {link}",
        },
        (FollowedAnswered, Lang::En) => Texts {
            subject: "Answer to your request no. {code}",
            lines: &["{body} has acted on the request your {nature} no. {code} is grouped with."],
            quote: Quote::IfAny,
            list_items: false,
            action: "See my request",
            sms: "Milie: the body has answered the problem in your request {code}. See: {link}",
        },
        _ => super::texts::texts(Template::RequestRegistered, lang),
    }
}
