//! The message next to a field (and in the error summary) for each problem the domain finds.

use super::Lang;

/// The message shown next to a field (and in the error summary) for one problem.
pub fn problem_message(
    lang: Lang,
    field: crate::domain::submission::Field,
    problem: &crate::domain::submission::Problem,
) -> String {
    use crate::domain::attachment::AttachmentError as A;
    use crate::domain::email::EmailError as E;
    use crate::domain::phone::PhoneError as P;
    use crate::domain::submission::{Field as F, Problem as Pr};
    use crate::domain::text_field::TextError as T;
    let fr = lang == Lang::Fr;
    let pick =
        |fr_text: &str, en_text: &str| if fr { fr_text.to_owned() } else { en_text.to_owned() };
    match (field, problem) {
        (F::Body, _) => pick("Choisissez l'organisme public concerné.", "Choose the public body concerned."),
        (F::Nature, _) => pick(
            "Choisissez la nature de votre requête : réclamation, observation ou suggestion.",
            "Choose the kind of request: complaint, observation or suggestion.",
        ),
        (F::Place, _) => pick("Choisissez une commune, une ville ou un village dans la liste.", "Choose a commune, town or village from the list."),
        (F::AbroadCountry, _) => pick("Indiquez le pays où vous vous trouvez.", "Say which country you are in."),
        (F::AbroadCity, _) => pick("Le nom de la ville ne doit pas dépasser 100 caractères.", "The city name must be 100 characters or fewer."),
        (F::Theme, _) => pick("Choisissez un thème dans la liste.", "Choose a topic from the list."),
        (F::Message, Pr::Text(T::TooShort { min })) => {
            if fr {
                format!("Votre message doit comporter au moins {min} caractères.")
            } else {
                format!("Your message must be at least {min} characters long.")
            }
        }
        (F::Message, Pr::Text(T::TooLong { max })) => {
            if fr {
                format!("Votre message ne doit pas dépasser {max} caractères.")
            } else {
                format!("Your message must be {max} characters or fewer.")
            }
        }
        (F::Message, _) => pick("Saisissez votre message, ou joignez un message vocal.", "Enter your message, or attach a voice note."),
        (F::LastName, _) => pick("Le nom ne doit pas dépasser 100 caractères.", "The surname must be 100 characters or fewer."),
        (F::FirstNames, _) => pick("Les prénoms ne doivent pas dépasser 100 caractères.", "Given names must be 100 characters or fewer."),
        (F::Country, _) => pick("Choisissez votre pays dans la liste.", "Choose your country from the list."),
        (F::Phone | F::Email, Pr::ContactRequired) => pick(
            "Indiquez un numéro de téléphone portable ou une adresse électronique (au moins l'un des deux) : c'est par là que vous recevrez votre code.",
            "Give a mobile phone number or an email address (at least one of the two): that is how you will receive your code.",
        ),
        (F::Phone, Pr::Phone(P::NotDigits)) => pick("Le numéro de téléphone ne doit contenir que des chiffres.", "The phone number must contain digits only."),
        (F::Phone, Pr::Phone(P::OtherCountry)) => pick(
            "Ce numéro commence par l'indicatif d'un autre pays que celui choisi : vérifiez le pays.",
            "This number starts with the code of another country than the one chosen: check the country.",
        ),
        (F::Phone, Pr::Phone(P::OldIvorianNumber)) => pick(
            "Depuis 2021, les numéros ivoiriens ont 10 chiffres : ajoutez 01, 05 ou 07 devant votre ancien numéro.",
            "Since 2021, Ivorian numbers have 10 digits: add 01, 05 or 07 in front of your old number.",
        ),
        (F::Phone, Pr::Phone(P::Length { min, max })) => match (fr, min == max) {
            (true, true) => format!("Le numéro de portable doit comporter {min} chiffres."),
            (true, false) => format!("Le numéro de portable doit comporter entre {min} et {max} chiffres."),
            (false, true) => format!("The mobile number must have {min} digits."),
            (false, false) => format!("The mobile number must have between {min} and {max} digits."),
        },
        (F::Phone, Pr::Phone(P::NotMobile)) => pick(
            "Ce numéro n'est pas un numéro de téléphone portable : saisissez un numéro de portable.",
            "This is not a mobile phone number: enter a mobile number.",
        ),
        (F::Phone, _) => pick("Saisissez votre numéro de téléphone portable.", "Enter your mobile phone number."),
        (F::Email, Pr::Email(E::Empty)) => pick("Saisissez votre adresse électronique.", "Enter your email address."),
        (F::Email, _) => {
            pick("Saisissez une adresse électronique valide, par exemple nom@exemple.ci.", "Enter a valid email address, for example name@example.com.")
        }
        (F::Terms, _) => {
            pick("Vous devez accepter les conditions d'utilisation pour soumettre votre requête.", "You must accept the terms of use to submit your request.")
        }
        (F::Attachments | F::VoiceNote, Pr::File { name, error }) => match (fr, error) {
            (true, A::Empty) => format!("Le fichier « {name} » est vide."),
            (true, A::TooLarge) => format!("Le fichier « {name} » dépasse 5 Mo."),
            (true, A::Unsupported) => format!("Le fichier « {name} » n'est ni un document PDF ni une image (JPEG, PNG, WebP), ni un enregistrement audio."),
            (true, A::Mismatch) => format!("Le contenu du fichier « {name} » ne correspond pas à son extension."),
            (true, A::TooLong) => format!("L'enregistrement « {name} » dure plus de 3 minutes : raccourcissez-le."),
            (true, A::Unreadable) => format!("L'enregistrement « {name} » est illisible (abîmé ou incomplet) : enregistrez-le à nouveau."),
            (true, A::NotAudio) => format!("Le fichier « {name} » n'est pas un enregistrement audio (OGG, Opus, WebM, M4A, AAC, AMR, MP3 ou WAV)."),
            (false, A::Empty) => format!("The file «{name}» is empty."),
            (false, A::TooLarge) => format!("The file «{name}» is larger than 5 MB."),
            (false, A::Unsupported) => format!("The file «{name}» is neither a PDF document nor an image (JPEG, PNG, WebP), nor a recording."),
            (false, A::Mismatch) => format!("The content of the file «{name}» does not match its extension."),
            (false, A::TooLong) => format!("The recording «{name}» lasts more than 3 minutes: shorten it."),
            (false, A::Unreadable) => format!("The recording «{name}» cannot be read (damaged or incomplete): record it again."),
            (false, A::NotAudio) => format!("The file «{name}» is not an audio recording (OGG, Opus, WebM, M4A, AAC, AMR, MP3 or WAV)."),
        },
        (F::Attachments, Pr::TooManyFiles { max }) => {
            if fr {
                format!("Vous pouvez joindre au plus {max} fichiers.")
            } else {
                format!("You can attach at most {max} files.")
            }
        }
        (F::Attachments, Pr::TotalTooLarge { max_bytes }) => {
            if fr {
                format!("L'ensemble des pièces jointes ne doit pas dépasser {} Mo.", max_bytes / (1024 * 1024))
            } else {
                format!("All attachments together must not exceed {} MB.", max_bytes / (1024 * 1024))
            }
        }
        (F::Attachments | F::VoiceNote, _) => pick("Cette pièce jointe n'a pas pu être reçue.", "This attachment could not be received."),
        (F::IdempotencyKey, _) => pick(
            "Idempotency-Key : déjà utilisée pour une autre requête.",
            "Idempotency-Key: already used for another request.",
        ),
        (F::HumanCheck, _) => pick(
            "La vérification anti-robot n'a pas abouti : cochez la case de vérification puis soumettez à nouveau.",
            "The anti-robot check did not succeed: tick the verification box and submit again.",
        ),
    }
}
