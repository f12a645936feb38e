//! The note grammar on whole notes: a table of realistic Chicago notes (from the essay fixture and
//! the Programming Historian lessons) and the citations the grammar reads in them today.

use super::parse;
use crate::grammar::CiteKind::{self, Full, Ibid, OpCit, Short};
use crate::grammar::LocatorLabel::{self, Chapter, Compound, Page};

/// One expected citation.
struct Expect {
    kind: CiteKind,
    /// The citation's span, as written.
    text: &'static str,
    signal: Option<&'static str>,
    locator: Option<(LocatorLabel, &'static str)>,
    /// The first author's (or editor's) family name or literal name.
    author: Option<&'static str>,
    title: Option<&'static str>,
}

/// One note and what the grammar reads in it.
struct Row {
    note: &'static str,
    commentary: bool,
    cites: &'static [Expect],
}

#[test]
fn notes_table() {
    assert!(ROWS.len() >= 30);
    for row in ROWS {
        let p = parse(row.note, &[]);
        assert_eq!(p.commentary, row.commentary, "commentary of {:?}", row.note);
        assert_eq!(
            p.cites.len(),
            row.cites.len(),
            "citations in {:?}",
            row.note
        );
        for (c, e) in p.cites.iter().zip(row.cites) {
            let first = c.fields.author.first().or(c.fields.editor.first());
            let author = first.and_then(|n| n.family.as_deref().or(n.literal.as_deref()));
            assert_eq!(c.kind, e.kind, "kind in {:?}", row.note);
            assert_eq!(c.span.slice(row.note), e.text, "span in {:?}", row.note);
            assert_eq!(
                c.signal.as_ref().map(|s| s.name.as_str()),
                e.signal,
                "signal in {:?}",
                row.note
            );
            assert_eq!(
                c.locator.as_ref().map(|l| (l.label, l.value.as_str())),
                e.locator,
                "locator in {:?}",
                row.note
            );
            assert_eq!(author, e.author, "author in {:?}", row.note);
            assert_eq!(
                c.fields.title.as_deref(),
                e.title,
                "title in {:?}",
                row.note
            );
        }
    }
}

const ROWS: &[Row] = &[
    Row {
        note: "Dev Lewis, China’s Global Internet Ambitions: Finding Roots in ASEAN, (Delhi: Digital Asia Hub), 4-13.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Dev Lewis, China’s Global Internet Ambitions: Finding Roots in ASEAN, (Delhi: Digital Asia Hub), 4-13", signal: None, locator: Some((Page, "4–13")), author: Some("Lewis"), title: Some("China’s Global Internet Ambitions: Finding Roots in ASEAN") },
        ],
    },
    Row {
        note: "Ibid, 4.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid, 4", signal: None, locator: Some((Page, "4")), author: None, title: None },
        ],
    },
    Row {
        note: "Chris Cairns, Fragmented Authoritarianism? Reforms to China’s Internet censorship system under Xi Jinping (Ithaca: Cornell University, September 2016) 3.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Chris Cairns, Fragmented Authoritarianism? Reforms to China’s Internet censorship system under Xi Jinping (Ithaca: Cornell University, September 2016) 3", signal: None, locator: Some((Page, "3")), author: Some("Cairns"), title: Some("Fragmented Authoritarianism? Reforms to China’s Internet censorship system under Xi Jinping") },
        ],
    },
    Row {
        note: "Ibid, 3.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid, 3", signal: None, locator: Some((Page, "3")), author: None, title: None },
        ],
    },
    Row {
        note: "Kenneth G. Lieberthal, “Introduction: The “Fragmented Authoritarianism” Model and Its Limitations” in Bureaucracy, Politics, and Decision Making in Post-Mao China (Berkeley: University of California Press, 1992) 1.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Kenneth G. Lieberthal, “Introduction: The “Fragmented Authoritarianism” Model and Its Limitations” in Bureaucracy, Politics, and Decision Making in Post-Mao China (Berkeley: University of California Press, 1992) 1", signal: None, locator: Some((Page, "1")), author: Some("Lieberthal"), title: Some("Introduction: The “Fragmented Authoritarianism” Model and Its Limitations") },
        ],
    },
    Row {
        note: "Paul Hubbard, ‘Fragmented authoritarianism’ and state ownership (East Asia Forum, 23 January 2017).",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Paul Hubbard, ‘Fragmented authoritarianism’ and state ownership (East Asia Forum, 23 January 2017)", signal: None, locator: None, author: Some("Hubbard"), title: Some("‘Fragmented authoritarianism’ and state ownership") },
        ],
    },
    Row {
        note: "Jinghan Zeng, Tim Stevens, and Yaru Chen, “China’s Solution to Global Cyber Governance: Unpacking the Domestic Discourse of ‘Internet Sovereignty,’” Politics & Policy 45, no. 3 (2017): 436.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Jinghan Zeng, Tim Stevens, and Yaru Chen, “China’s Solution to Global Cyber Governance: Unpacking the Domestic Discourse of ‘Internet Sovereignty,’” Politics & Policy 45, no. 3 (2017): 436", signal: None, locator: Some((Page, "436")), author: Some("Zeng"), title: Some("China’s Solution to Global Cyber Governance: Unpacking the Domestic Discourse of ‘Internet Sovereignty’") },
        ],
    },
    Row {
        note: "Lieberthal, “Introduction: The “Fragmented Authoritarianism” Model and Its Limitations” 3.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Lieberthal, “Introduction: The “Fragmented Authoritarianism” Model and Its Limitations” 3", signal: None, locator: Some((Page, "3")), author: Some("Lieberthal"), title: Some("Introduction: The “Fragmented Authoritarianism” Model and Its Limitations") },
        ],
    },
    Row {
        note: "Ibid, 2-3. Lieberthal clarifies importantly that these clusters do not encapsulate all of China’s important bureaucratic systems but instead has outlined those with “nationwide hierarchies that exercise strong executive power.”",
        commentary: true,
        cites: &[
            Expect { kind: Ibid, text: "Ibid, 2-3", signal: None, locator: Some((Page, "2–3")), author: None, title: None },
        ],
    },
    Row {
        note: "Ibid, 9.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid, 9", signal: None, locator: Some((Page, "9")), author: None, title: None },
        ],
    },
    Row {
        note: "Ibid.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid", signal: None, locator: None, author: None, title: None },
        ],
    },
    Row {
        note: "Vincent Pouliot and Jean-Philippe Thérien. “Global Governance: A Struggle over Universal Values.” International Studies Perspectives, online first, (2017).",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Vincent Pouliot and Jean-Philippe Thérien. “Global Governance: A Struggle over Universal Values.” International Studies Perspectives, online first, (2017)", signal: None, locator: None, author: Some("Pouliot"), title: Some("Global Governance: A Struggle over Universal Values") },
        ],
    },
    Row {
        note: "Ibid, 2.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid, 2", signal: None, locator: Some((Page, "2")), author: None, title: None },
        ],
    },
    Row {
        note: "Ibid, 3.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid, 3", signal: None, locator: Some((Page, "3")), author: None, title: None },
        ],
    },
    Row {
        note: "Lieberthal, “Introduction: The “Fragmented Authoritarianism” Model and Its Limitations” 6.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Lieberthal, “Introduction: The “Fragmented Authoritarianism” Model and Its Limitations” 6", signal: None, locator: Some((Page, "6")), author: Some("Lieberthal"), title: Some("Introduction: The “Fragmented Authoritarianism” Model and Its Limitations") },
        ],
    },
    Row {
        note: "Willy Wo-Lap Lam. “The agenda of Xi Jinping: Is the Chinese Communist Party capable of thorough reforms?” in The Routledge Handbook of the Chinese Communist Party (London: Routledge, 2018): 6.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Willy Wo-Lap Lam. “The agenda of Xi Jinping: Is the Chinese Communist Party capable of thorough reforms?” in The Routledge Handbook of the Chinese Communist Party (London: Routledge, 2018): 6", signal: None, locator: Some((Page, "6")), author: Some("Lam"), title: Some("The agenda of Xi Jinping: Is the Chinese Communist Party capable of thorough reforms?") },
        ],
    },
    Row {
        note: "Lam. “The agenda of Xi Jinping,” 6.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Lam. “The agenda of Xi Jinping,” 6", signal: None, locator: Some((Page, "6")), author: Some("Lam"), title: Some("The agenda of Xi Jinping") },
        ],
    },
    Row {
        note: "Pouliot and Thérien, “Global Governance: A Struggle over Universal Values,” (2017): 2.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Pouliot and Thérien, “Global Governance: A Struggle over Universal Values,” (2017): 2", signal: None, locator: Some((Page, "2")), author: Some("Pouliot"), title: Some("Global Governance: A Struggle over Universal Values") },
        ],
    },
    Row {
        note: "Seen in Jyh-An Lee, “Hacking into China’s Cybersecurity Law,” Wake Forest Law Review 53, (August 2018): 64.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Jyh-An Lee, “Hacking into China’s Cybersecurity Law,” Wake Forest Law Review 53, (August 2018): 64", signal: Some("seen in"), locator: Some((Page, "64")), author: Some("Lee"), title: Some("Hacking into China’s Cybersecurity Law") },
        ],
    },
    Row {
        note: "Emanuel Adler and Vincent Pouliot, “International practices” International Theory, 3(1) (2011): 5. doi:10.1017/S175297191000031X",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Emanuel Adler and Vincent Pouliot, “International practices” International Theory, 3(1) (2011): 5. doi:10.1017/S175297191000031X", signal: None, locator: Some((Page, "5")), author: Some("Adler"), title: Some("International practices") },
        ],
    },
    Row {
        note: "Sending, O., & Neumann, I. (2011). Banking on power. In E. Adler & V. Pouliot (Eds.), International Practices (Cambridge Studies in International Relations, pp. 231-254). Cambridge: Cambridge University Press. doi:10.1017/CBO9780511862373.014",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Sending, O., & Neumann, I. (2011). Banking on power. In E. Adler & V. Pouliot (Eds.), International Practices (Cambridge Studies in International Relations, pp. 231-254). Cambridge: Cambridge University Press. doi:10.1017/CBO9780511862373.014", signal: None, locator: None, author: Some("Sending"), title: Some("Banking on power") },
        ],
    },
    Row {
        note: "Monroe Price, “Global Politics of Internet Governance” Technology and World Politics (London: Routledge, 2017) 128.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Monroe Price, “Global Politics of Internet Governance” Technology and World Politics (London: Routledge, 2017) 128", signal: None, locator: Some((Page, "128")), author: Some("Price"), title: Some("Global Politics of Internet Governance") },
        ],
    },
    Row {
        note: "Ibid, 128.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid, 128", signal: None, locator: Some((Page, "128")), author: None, title: None },
        ],
    },
    Row {
        note: "Joseph S. Nye, “The Regime Complex for Managing Global Cyber Activities,” Global Commission on Internet Governance Paper Series, 2014, 5.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Joseph S. Nye, “The Regime Complex for Managing Global Cyber Activities,” Global Commission on Internet Governance Paper Series, 2014, 5", signal: None, locator: Some((Page, "5")), author: Some("Nye"), title: Some("The Regime Complex for Managing Global Cyber Activities") },
        ],
    },
    Row {
        note: "Ibid, 5.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid, 5", signal: None, locator: Some((Page, "5")), author: None, title: None },
        ],
    },
    Row {
        note: "Stanislav Budnitsky and Lianrui Jia, “Branding Internet sovereignty: Digital media and the Chinese-Russian cyberalliance,” European Journal of Cultural Studies 21 (2018): 599.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Stanislav Budnitsky and Lianrui Jia, “Branding Internet sovereignty: Digital media and the Chinese-Russian cyberalliance,” European Journal of Cultural Studies 21 (2018): 599", signal: None, locator: Some((Page, "599")), author: Some("Budnitsky"), title: Some("Branding Internet sovereignty: Digital media and the Chinese-Russian cyberalliance") },
        ],
    },
    Row {
        note: "Ibid, 595.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid, 595", signal: None, locator: Some((Page, "595")), author: None, title: None },
        ],
    },
    Row {
        note: "Ibid.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid", signal: None, locator: None, author: None, title: None },
        ],
    },
    Row {
        note: "Roussouw Von Solms and Johan Van Niekerk. “From Information Security to Cyber Security”, Computers and Security Journal 38, 99.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Roussouw Von Solms and Johan Van Niekerk. “From Information Security to Cyber Security”, Computers and Security Journal 38, 99", signal: None, locator: Some((Page, "99")), author: Some("Von Solms"), title: Some("From Information Security to Cyber Security") },
        ],
    },
    Row {
        note: "Von Solms and Van Niekerk. “From Information Security to Cyber Security”, 99.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Von Solms and Van Niekerk. “From Information Security to Cyber Security”, 99", signal: None, locator: Some((Page, "99")), author: Some("Von Solms"), title: Some("From Information Security to Cyber Security") },
        ],
    },
    Row {
        note: "Stein Schjflberg. The History of Cybercrime: 1976-2014, Cologne: Cybercrime Research Institute, 2014. 104.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Stein Schjflberg. The History of Cybercrime: 1976-2014, Cologne: Cybercrime Research Institute, 2014. 104", signal: None, locator: Some((Page, "104")), author: Some("Schjflberg"), title: Some("The History of Cybercrime: 1976-2014") },
        ],
    },
    Row {
        note: "Ibid, 8.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid, 8", signal: None, locator: Some((Page, "8")), author: None, title: None },
        ],
    },
    Row {
        note: "Price, “Global Politics of Internet Governance”, 131.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Price, “Global Politics of Internet Governance”, 131", signal: None, locator: Some((Page, "131")), author: Some("Price"), title: Some("Global Politics of Internet Governance") },
        ],
    },
    Row {
        note: "Ibid.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid", signal: None, locator: None, author: None, title: None },
        ],
    },
    Row {
        note: "Adam Segal, Chinese Cyber Diplomacy in a New Era of Uncertainty (Stanford: Hoover Institution, 2017) 3.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Adam Segal, Chinese Cyber Diplomacy in a New Era of Uncertainty (Stanford: Hoover Institution, 2017) 3", signal: None, locator: Some((Page, "3")), author: Some("Segal"), title: Some("Chinese Cyber Diplomacy in a New Era of Uncertainty") },
        ],
    },
    Row {
        note: "Seen in Lee, “Hacking into China’s Cybersecurity Law,” 60.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Lee, “Hacking into China’s Cybersecurity Law,” 60", signal: Some("seen in"), locator: Some((Page, "60")), author: Some("Lee"), title: Some("Hacking into China’s Cybersecurity Law") },
        ],
    },
    Row {
        note: "Shehui xinyong tixi jianshe guihua gangyao [Planning Outline for the Construction of a Social Credit System (2014-2020)], State Council (Beijing: 14 June 2014). A useful translation is available online here: https://chinacopyrightandmedia.wordpress.com/2014/06/14/planning-outline-for-the-construction-of-a-social-credit-system-2014-2020/.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Shehui xinyong tixi jianshe guihua gangyao [Planning Outline for the Construction of a Social Credit System (2014-2020)], State Council (Beijing: 14 June 2014). A useful translation is available online here: https://chinacopyrightandmedia.wordpress.com/2014/06/14/planning-outline-for-the-construction-of-a-social-credit-system-2014-2020/", signal: None, locator: None, author: Some("State Council"), title: Some("Shehui xinyong tixi jianshe guihua gangyao [Planning Outline for the Construction of a Social Credit System (2014-2020)]") },
        ],
    },
    Row {
        note: "According to reporting by Foreign Policy, this system is scheduled for nation-wide implementation in 2020. Moreover, a document released by the State Council in 2014 asserted that the social credit scheme should “allow the trustworthy to roam everywhere under heaven while making it hard for the discredited to take a single step.”",
        commentary: true,
        cites: &[
        ],
    },
    Row {
        note: "Shazeda Ahmed, Cashless Society, Cached Data: Security Considerations for a Chinese Social Credit System (Toronto: The Citizen Lab, January 24, 2017) https://citizenlab.ca/2017/01/cashless-society-cached-data-security-considerations-chinese-social-credit-system/.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Shazeda Ahmed, Cashless Society, Cached Data: Security Considerations for a Chinese Social Credit System (Toronto: The Citizen Lab, January 24, 2017) https://citizenlab.ca/2017/01/cashless-society-cached-data-security-considerations-chinese-social-credit-system/", signal: None, locator: None, author: Some("Ahmed"), title: Some("Cashless Society, Cached Data: Security Considerations for a Chinese Social Credit System") },
        ],
    },
    Row {
        note: "Ahmed, Cashless Society, Cached Data.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Ahmed, Cashless Society, Cached Data", signal: None, locator: None, author: Some("Ahmed"), title: Some("Cashless Society, Cached Data") },
        ],
    },
    Row {
        note: "Ibid.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid", signal: None, locator: None, author: None, title: None },
        ],
    },
    Row {
        note: "Yongming Zhou, “Historicizing Online Politics: Telegraphy, the Internet, and Political Participation in China. Stanford University Press (2016).",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Yongming Zhou, “Historicizing Online Politics: Telegraphy, the Internet, and Political Participation in China. Stanford University Press (2016)", signal: None, locator: None, author: Some("Zhou"), title: Some("Historicizing Online Politics: Telegraphy, the Internet, and Political Participation in China") },
        ],
    },
    Row {
        note: "Zhizheng Wang, “Systematic Government Access to Private-Sector Data in China,” International Data Privacy Law 2 (4): 243.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Zhizheng Wang, “Systematic Government Access to Private-Sector Data in China,” International Data Privacy Law 2 (4): 243", signal: None, locator: Some((Page, "243")), author: Some("Wang"), title: Some("Systematic Government Access to Private-Sector Data in China") },
        ],
    },
    Row {
        note: "Lam, “The agenda of Xi Jinping,” 17.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Lam, “The agenda of Xi Jinping,” 17", signal: None, locator: Some((Page, "17")), author: Some("Lam"), title: Some("The agenda of Xi Jinping") },
        ],
    },
    Row {
        note: "Wang, “Systematic Government Access to Private-Sector Data in China” 243.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Wang, “Systematic Government Access to Private-Sector Data in China” 243", signal: None, locator: Some((Page, "243")), author: Some("Wang"), title: Some("Systematic Government Access to Private-Sector Data in China") },
        ],
    },
    Row {
        note: "Ibid.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid", signal: None, locator: None, author: None, title: None },
        ],
    },
    Row {
        note: "While no formal interviews were conducted for this research paper, throughout my month at Shantou University I questioned students, professors, and new friends on their opinions of domestic internet governance. I found that the vast majority Chinese I met preferred enhanced convenience and security over the protection of their data.",
        commentary: true,
        cites: &[
        ],
    },
    Row {
        note: "“Freedom on the Net Methodology,” Freedom House, Accessed August 20, 2018, https://freedomhouse.org/report/freedom-net-methodology .",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "“Freedom on the Net Methodology,” Freedom House, Accessed August 20, 2018, https://freedomhouse.org/report/freedom-net-methodology", signal: None, locator: None, author: None, title: Some("Freedom on the Net Methodology") },
        ],
    },
    Row {
        note: "Wang, “Systematic Government Access to Private-Sector Data in China” 245.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Wang, “Systematic Government Access to Private-Sector Data in China” 245", signal: None, locator: Some((Page, "245")), author: Some("Wang"), title: Some("Systematic Government Access to Private-Sector Data in China") },
        ],
    },
    Row {
        note: "Ibid, 244.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Ibid, 244", signal: None, locator: Some((Page, "244")), author: None, title: None },
        ],
    },
    Row {
        note: "Lee, “Hacking into China’s Cybersecurity Law,” 62.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Lee, “Hacking into China’s Cybersecurity Law,” 62", signal: None, locator: Some((Page, "62")), author: Some("Lee"), title: Some("Hacking into China’s Cybersecurity Law") },
        ],
    },
    Row {
        note: "“Cybersecurity Law of the People’s Republic of China,” Chapter 1, Article 9. Translation found at : https://www.newamerica.org/cybersecurity-initiative/digichina/blog/translation-cybersecurity-law-peoples-republic-china/ .",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "“Cybersecurity Law of the People’s Republic of China,” Chapter 1, Article 9. Translation found at : https://www.newamerica.org/cybersecurity-initiative/digichina/blog/translation-cybersecurity-law-peoples-republic-china/", signal: None, locator: Some((Compound, "Chapter 1, Article 9")), author: None, title: Some("Cybersecurity Law of the People’s Republic of China") },
        ],
    },
    Row {
        note: "Lee, “Hacking into China’s Cybersecurity Law,” 66.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Lee, “Hacking into China’s Cybersecurity Law,” 66", signal: None, locator: Some((Page, "66")), author: Some("Lee"), title: Some("Hacking into China’s Cybersecurity Law") },
        ],
    },
    Row {
        note: "“Cybersecurity Law of the People’s Republic of China,” Chapter 3, Article 28.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "“Cybersecurity Law of the People’s Republic of China,” Chapter 3, Article 28", signal: None, locator: Some((Compound, "Chapter 3, Article 28")), author: None, title: Some("Cybersecurity Law of the People’s Republic of China") },
        ],
    },
    Row {
        note: "Lee, “Hacking into China’s Cybersecurity Law,” 72.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Lee, “Hacking into China’s Cybersecurity Law,” 72", signal: None, locator: Some((Page, "72")), author: Some("Lee"), title: Some("Hacking into China’s Cybersecurity Law") },
        ],
    },
    Row {
        note: "Jack Wagner, “China’s Cybersecurity Law: What You Need to Know,” The Diplomat (June 1 2018) https://thediplomat.com/2017/06/chinas-cybersecurity-law-what-you-need-to-know/.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Jack Wagner, “China’s Cybersecurity Law: What You Need to Know,” The Diplomat (June 1 2018) https://thediplomat.com/2017/06/chinas-cybersecurity-law-what-you-need-to-know/", signal: None, locator: None, author: Some("Wagner"), title: Some("China’s Cybersecurity Law: What You Need to Know") },
        ],
    },
    Row {
        note: "Lewis, China’s Global Internet Ambitions: Finding Roots in ASEAN, 7.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Lewis, China’s Global Internet Ambitions: Finding Roots in ASEAN, 7", signal: None, locator: Some((Page, "7")), author: Some("Lewis"), title: Some("China’s Global Internet Ambitions: Finding Roots in ASEAN") },
        ],
    },
    Row {
        note: "Chinese State Council General Office cited in Lewis, China’s Global Internet Ambitions: Finding Roots in ASEAN, 7.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Lewis, China’s Global Internet Ambitions: Finding Roots in ASEAN, 7", signal: Some("cited in"), locator: Some((Page, "7")), author: Some("Lewis"), title: Some("China’s Global Internet Ambitions: Finding Roots in ASEAN") },
        ],
    },
    Row {
        note: "Johnson, Duff. “A Technical and Cultural Assessment of the Mueller Report PDF.” PDF Association (blog), April 19, 2019. https://www.pdfa.org/a-technical-and-cultural-assessment-of-the-mueller-report-pdf/.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Johnson, Duff. “A Technical and Cultural Assessment of the Mueller Report PDF.” PDF Association (blog), April 19, 2019. https://www.pdfa.org/a-technical-and-cultural-assessment-of-the-mueller-report-pdf/", signal: None, locator: None, author: Some("Johnson"), title: Some("A Technical and Cultural Assessment of the Mueller Report PDF") },
        ],
    },
    Row {
        note: "Lincoln Mullen, \"Natural Language Processing,\" RPubs, https://rpubs.com/lmullen/nlp-chapter.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Lincoln Mullen, \"Natural Language Processing,\" RPubs, https://rpubs.com/lmullen/nlp-chapter", signal: None, locator: None, author: Some("Mullen"), title: Some("Natural Language Processing") },
        ],
    },
    Row {
        note: "Brigitte Le Roux and Henry Rouanet, Multiple Correspondence Analysis (Los Angeles: SAGE Publications, 2010), pg. 3;",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Brigitte Le Roux and Henry Rouanet, Multiple Correspondence Analysis (Los Angeles: SAGE Publications, 2010), pg. 3", signal: None, locator: Some((Page, "3")), author: Some("Le Roux"), title: Some("Multiple Correspondence Analysis") },
        ],
    },
    // wrong today: the article's page range `pp. 257–65` is read as a pinpoint locator
    Row {
        note: "Cynthia Whissell, “Traditional and Emotional Stylometric Analysis of the Songs of Beatles Paul McCartney and John Lennon,” Computers and the Humanities, vol. 30, no. 3 (1996), pp. 257–65.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Cynthia Whissell, “Traditional and Emotional Stylometric Analysis of the Songs of Beatles Paul McCartney and John Lennon,” Computers and the Humanities, vol. 30, no. 3 (1996), pp. 257–65", signal: None, locator: Some((Page, "257–65")), author: Some("Whissell"), title: Some("Traditional and Emotional Stylometric Analysis of the Songs of Beatles Paul McCartney and John Lennon") },
        ],
    },
    Row {
        note: "Jeffrey Wu et al., 7.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Jeffrey Wu et al., 7", signal: None, locator: Some((Page, "7")), author: Some("Wu"), title: None },
        ],
    },
    // wrong today: the `;` between two places splits the note: `New York: Verso Books, 2013` becomes a short citation of an author `York`
    Row {
        note: "Moretti, Franco. Distant Reading. Illustrated Edition. London ; New York: Verso Books, 2013.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Moretti, Franco. Distant Reading. Illustrated Edition. London", signal: None, locator: None, author: Some("Moretti"), title: Some("Distant Reading") },
            Expect { kind: Short, text: "New York: Verso Books, 2013", signal: None, locator: None, author: Some("York"), title: Some("Verso Books, 2013") },
        ],
    },
    // wrong today: the article's page range `pp. 27–47` is read as a pinpoint locator
    Row {
        note: "John Burrows, “All the Way Through: Testing for Authorship in Different Frequency Strata,” Literary and Linguistic Computing, vol. 22, no. 1 (April 2007), pp. 27–47, https://doi.org/10.1093/llc/fqi067.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "John Burrows, “All the Way Through: Testing for Authorship in Different Frequency Strata,” Literary and Linguistic Computing, vol. 22, no. 1 (April 2007), pp. 27–47, https://doi.org/10.1093/llc/fqi067", signal: None, locator: Some((Page, "27–47")), author: Some("Burrows"), title: Some("All the Way Through: Testing for Authorship in Different Frequency Strata") },
        ],
    },
    Row {
        note: "Crymble, A, A. Dennett, and T. Hitchcock, \"Modelling regional imbalances in English plebeian migration to late eighteenth-century London\", Economic History Review, vol. 71, no. 3 (2018), 751.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Crymble, A, A. Dennett, and T. Hitchcock, \"Modelling regional imbalances in English plebeian migration to late eighteenth-century London\", Economic History Review, vol. 71, no. 3 (2018), 751", signal: None, locator: Some((Page, "751")), author: Some("Crymble"), title: Some("Modelling regional imbalances in English plebeian migration to late eighteenth-century London") },
        ],
    },
    Row {
        note: "See Laura Kane (April 3, 2017), \"Missing and murdered women's inquiry not reaching out to families, say advocates.\" CBC News Indigenous. http://www.cbc.ca/news/indigenous/mmiw-inquiry-not-reaching-out-to-families-says-advocates-1.4053694",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Laura Kane (April 3, 2017), \"Missing and murdered women's inquiry not reaching out to families, say advocates.\" CBC News Indigenous. http://www.cbc.ca/news/indigenous/mmiw-inquiry-not-reaching-out-to-families-says-advocates-1.4053694", signal: Some("see"), locator: None, author: Some("Kane"), title: Some("Missing and murdered women's inquiry not reaching out to families, say advocates") },
        ],
    },
    // wrong today: the citation after `see,` inside the sentence is not found
    Row {
        note: "For more information about how players often go against the intentions of creators, see, Stephen Granade, \"The Player Will Get It Wrong,\" Brass Lantern: The Adventure Game Website.",
        commentary: true,
        cites: &[
        ],
    },
    Row {
        note: "Cf. Robert Wintrobe, The Political Economy of Dictatorship (Cambridge: Cambridge University Press, 2000), chap. 3.",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Robert Wintrobe, The Political Economy of Dictatorship (Cambridge: Cambridge University Press, 2000), chap. 3", signal: Some("cf."), locator: Some((Chapter, "3")), author: Some("Wintrobe"), title: Some("The Political Economy of Dictatorship") },
        ],
    },
    Row {
        note: "See also Lieberthal, “Introduction,” 12–14; Lee, “Hacking into China’s Cybersecurity Law,” 62.",
        commentary: false,
        cites: &[
            Expect { kind: Short, text: "Lieberthal, “Introduction,” 12–14", signal: Some("see also"), locator: Some((Page, "12–14")), author: Some("Lieberthal"), title: Some("Introduction") },
            Expect { kind: Short, text: "Lee, “Hacking into China’s Cybersecurity Law,” 62", signal: None, locator: Some((Page, "62")), author: Some("Lee"), title: Some("Hacking into China’s Cybersecurity Law") },
        ],
    },
    Row {
        note: "Id. at 5.",
        commentary: false,
        cites: &[
            Expect { kind: Ibid, text: "Id. at 5", signal: None, locator: Some((Page, "5")), author: None, title: None },
        ],
    },
    Row {
        note: "Lieberthal, op. cit., 7.",
        commentary: false,
        cites: &[
            Expect { kind: OpCit, text: "Lieberthal, op. cit., 7", signal: None, locator: Some((Page, "7")), author: Some("Lieberthal"), title: None },
        ],
    },
    Row {
        note: "Marbury v. Madison, 5 U.S. 137, 177 (1803).",
        commentary: false,
        cites: &[
            Expect { kind: Full, text: "Marbury v. Madison, 5 U.S. 137, 177 (1803)", signal: None, locator: Some((Page, "177")), author: None, title: Some("Marbury v. Madison") },
        ],
    },
];

/// A note the grammar reads no citation from is either prose (no finding) or citation-shaped (a
/// title with a year or a page), which is reported as IB023 rather than dropped in silence.
#[test]
fn a_citation_shaped_note_is_never_dropped_in_silence() {
    use crate::model::diagnostic::Code;
    let prose = [
        "According to reporting by Foreign Policy, this system is scheduled for nation-wide implementation in 2020.",
        "Thanks to the interns of the spring of 2019 for their help with this calculation.",
        "The “Save as” dialogue box is described on p. 4 of the manual.",
    ];
    for text in prose {
        let parsed = parse(text, &[]);
        assert!(parsed.cites.is_empty(), "{text}");
        assert!(
            parsed.findings.iter().all(|f| f.code != Code::UnreadNote),
            "prose flagged: {text}"
        );
    }
    let shaped = [
        "For more on who identifies as a “gamer,” see, Adrienne Shaw, “Do You Identify as a Gamer? Gender, Race, Sexuality, and Gamer Identity.” https://doi.org/10.1177/1461444811410394 (2012)",
        "Jeffrey Wu et al., \"Language Models Are Unsupervised Multitask Learners,\" OpenAI, (February 2019): 7",
        "Weber, “Die protestantische Ethik und der Geist des Kapitalismus” 1905",
        "Lauren Berlant, “Cruel Optimism” (p. 12) is where this starts",
    ];
    for text in shaped {
        let parsed = parse(text, &[]);
        let flagged = parsed.findings.iter().any(|f| f.code == Code::UnreadNote);
        assert!(
            !parsed.cites.is_empty() || flagged,
            "a citation-shaped note gave neither a citation nor IB023: {text}"
        );
        if flagged {
            assert!(parsed.cites.is_empty(), "IB023 beside a citation: {text}");
        }
    }
}

/// `text` with Markdown `*italics*` taken out, and the italic ranges of what is left: a note as
/// the Markdown reader hands it to the grammar.
fn italics(marked: &str) -> (String, Vec<crate::model::span::Span>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut open = None;
    for c in marked.chars() {
        if c == '*' {
            match open.take() {
                Some(a) => spans.push(crate::model::span::Span::new(a, text.len())),
                None => open = Some(text.len()),
            }
        } else {
            text.push(c);
        }
    }
    (text, spans)
}

/// Notes typed as the Chicago Manual prints them, with their italics, which the grammar misread
/// (the notes corpus of #13): what kind of citation each is, its first author, title and type.
#[test]
fn chicago_forms_with_italics() {
    use crate::model::WorkType;
    let rows: &[(&str, CiteKind, &str, Option<&str>, WorkType)] = &[
        // a title's `and` does not join names
        ("Fiedler, *Love and Death*, 342–43.", Short, "Fiedler", Some("Love and Death"), WorkType::Document),
        ("Key, *Politics, Parties, and Pressure*, 212.", Short, "Key", Some("Politics, Parties, and Pressure"), WorkType::Document),
        ("Georg Simmel, *On Individuality and Social Forms: Selected Writings* (Chicago: University of Chicago Press, 1971), 448.", Full, "Simmel", Some("On Individuality and Social Forms: Selected Writings"), WorkType::Book),
        // a given name and an initial are not an inverted name
        ("Erica A. Cartmill and Richard W. Byrne, “Orangutans Modify Their Gestural Signaling,” *Current Biology* 17 (2007): 1346.", Full, "Cartmill", Some("Orangutans Modify Their Gestural Signaling"), WorkType::ArticleJournal),
        ("Patricia M. Greenfield and Joshua Smith, *The Structure of Communication in Early Language Development* (New York: Academic Press, 1976), 346.", Full, "Greenfield", Some("The Structure of Communication in Early Language Development"), WorkType::Book),
        // the italic container of a chapter is not its editors
        ("Timothy P. Wickham-Crowley, “Structural Theories of Revolution,” in *Theorizing Revolutions*, ed. John Foran (New York: Routledge, 1997), 71.", Full, "Wickham-Crowley", Some("Structural Theories of Revolution"), WorkType::Chapter),
        // a thesis
        ("K. Rivoire, “Nonlinear Frequency Conversion in III-V Semiconductor Photonic Crystals” (PhD diss., Stanford University, 2012), 372.", Full, "Rivoire", Some("Nonlinear Frequency Conversion in III-V Semiconductor Photonic Crystals"), WorkType::Thesis),
        // communications
        ("Leila Haddad, email message to author, January 17, 2022.", Full, "Haddad", None, WorkType::PersonalCommunication),
        ("Rosa Castillo, interview by Henry Ward, July 22, 2015, audio recording.", Full, "Castillo", None, WorkType::Interview),
        ("Sam Gomez, Facebook message to author, August 1, 2017.", Full, "Gomez", None, WorkType::PersonalCommunication),
        // a translator in the author's place (CMOS 14.6)
        ("Richmond Lattimore, trans., *The Iliad of Homer* (Chicago: University of Chicago Press, 1951), 91–92.", Full, "Lattimore", Some("The Iliad of Homer"), WorkType::Book),
        // a whole day after a quoted title: a full citation (a short form gives no date)
        ("Business Week, “Banks Try to Dodge Fed’s Grasp,” April 5, 1969, 94.", Full, "Week", Some("Banks Try to Dodge Fed’s Grasp"), WorkType::Document),
        // a year before the link is the date
        ("C. Anderson, “Fred Smith: FedEx Wants UAVs,” 2009, http://diydrones.com/profiles/blogs/fred-smith.", Full, "Anderson", Some("Fred Smith: FedEx Wants UAVs"), WorkType::Webpage),
    ];
    for &(marked, kind, author, title, ty) in rows {
        let (text, spans) = italics(marked);
        let p = parse(&text, &spans);
        assert_eq!(p.cites.len(), 1, "{marked}");
        let c = &p.cites[0];
        let first = c.fields.lead_names().first();
        assert_eq!(c.kind, kind, "{marked}");
        assert_eq!(
            first.and_then(|n| n.family.as_deref()),
            Some(author),
            "{marked}"
        );
        assert_eq!(c.fields.title.as_deref(), title, "{marked}");
        if kind == Full {
            assert_eq!(c.fields.kind, ty, "{marked}");
        }
    }
    // the thesis's university, the chapter's container and editor, the database, the date
    let (text, spans) = italics("H. Millroth, “Reforming Compilation of Logic Programs” (PhD diss., Computing Science Department, Uppsala University, 1990), 400.");
    let w = &parse(&text, &spans).cites[0].fields;
    assert_eq!(w.genre.as_deref(), Some("PhD diss."));
    assert_eq!(
        w.publisher.as_deref(),
        Some("Computing Science Department, Uppsala University")
    );
    let (text, spans) = italics("Timothy P. Wickham-Crowley, “Structural Theories of Revolution,” in *Theorizing Revolutions*, ed. John Foran (New York: Routledge, 1997), 71.");
    let w = &parse(&text, &spans).cites[0].fields;
    assert_eq!(w.container_title.as_deref(), Some("Theorizing Revolutions"));
    assert_eq!(
        w.editor.first().and_then(|n| n.family.as_deref()),
        Some("Foran")
    );
    let (text, spans) = italics("Per Lindqvist, “Harbor Strike Enters Third Week,” *Guardian*, November 20, 1984, Gale Primary Sources.");
    let w = &parse(&text, &spans).cites[0].fields;
    assert_eq!(w.container_title.as_deref(), Some("Guardian"));
    assert_eq!(
        w.extra.get("archive").and_then(|v| v.as_str()),
        Some("Gale Primary Sources")
    );
    assert!(w.publisher.is_none());
    let (text, spans) = italics("C. Anderson, “Fred Smith: FedEx Wants UAVs,” 2009, http://diydrones.com/profiles/blogs/fred-smith.");
    let c = &parse(&text, &spans).cites[0];
    assert!(c.locator.is_none());
    assert_eq!(c.fields.year(), Some(2009));
    let (text, spans) = italics("H. Gish and M. Schmidt, “Text-Independent Speaker Identification,” *Signal Processing Magazine, IEEE* 11, no. 4 (1994): 22.");
    let w = &parse(&text, &spans).cites[0].fields;
    assert_eq!(
        w.container_title.as_deref(),
        Some("Signal Processing Magazine, IEEE")
    );
    assert_eq!(w.volume.as_deref(), Some("11"));
}

/// A report cited without its publisher, as ibid renders one: a date after the quoted title
/// makes the citation a full one (#13: it was read as a short form without a full citation).
#[test]
fn a_date_after_a_quoted_title_is_a_full_citation() {
    let note = "G. Dillingham, “Federal Actions Needed to Ensure Safety,” 2008, 313.";
    let p = parse(note, &[]);
    assert_eq!(p.cites.len(), 1);
    assert_eq!(p.cites[0].kind, Full);
    assert_eq!(p.cites[0].fields.year(), Some(2008));
    assert_eq!(
        p.cites[0].locator.as_ref().map(|l| l.value.as_str()),
        Some("313")
    );
    // a short form stays one
    assert_eq!(
        parse("Dillingham, “Federal Actions,” 313.", &[]).cites[0].kind,
        Short
    );
}

#[test]
fn a_links_path_is_not_prose() {
    // `a_b` in a URL's path once counted `b` as a lower-case word of prose, and with the
    // Spanish title's words the note read as commentary
    let note = "M.G. BARRÓN CRUZ, La Bestia: La tunue línea entre la migración y la trata de \
                personas (Mexico City: Instituto Nacional de Ciencias Penales, 2013), 280, \
                http://www.inacipe.gob.mx/temas_selectos/LaBestia.pdf?id=R9A&q=a_b#v=onepage.";
    let parsed = crate::grammar::parse_note(note, &[]);
    assert_eq!(parsed.cites.len(), 1, "{parsed:?}");
    assert_eq!(parsed.cites[0].kind, CiteKind::Full);
    assert!(!parsed.commentary);
}

/// Forms ibid's own renderings take that it read back as other fields (#13, #17: a fix built on
/// such a reading does not settle, and a correct note drew a finding).
#[test]
fn ibids_own_renderings_read_back_as_written() {
    // issues bound together
    let (text, spans) = italics("G. F. Cooper, “The Computational Complexity of Probabilistic Inference,” *Artificial Intelligence* 42, nos. 2–3 (1990): 188–97.");
    let w = &parse(&text, &spans).cites[0].fields;
    assert_eq!(w.issue.as_deref(), Some("2–3"));
    assert!(w.publisher.is_none());
    // `n.d.` after a container is no field
    let (text, spans) =
        italics("Richard Tobias, “Thurber, James,” *Encyclopedia Americana*, n.d., 115–16.");
    let w = &parse(&text, &spans).cites[0].fields;
    assert!(w.publisher.is_none(), "{:?}", w.publisher);
    assert_eq!(w.container_title.as_deref(), Some("Encyclopedia Americana"));
    // a journal's place, in parentheses after its name (CMOS 14.193)
    let (text, spans) =
        italics("Glenn Adamson, “When Craft Gets Sloppy,” *Crafts* (London) 211 (2008): 36.");
    let w = &parse(&text, &spans).cites[0].fields;
    assert_eq!(w.publisher_place.as_deref(), Some("London"));
    assert!(w.publisher.is_none());
    // and a place with its state, one place
    let (text, spans) = italics(
        "Kjell-Arne Ringbakk, “Organized Planning,” *SRI Long Range Planning Report* (Menlo Park, California) 365 (1968): 94.",
    );
    let w = &parse(&text, &spans).cites[0].fields;
    assert_eq!(w.publisher_place.as_deref(), Some("Menlo Park, California"));
    assert!(w.publisher.is_none());
    // a chapter's publisher before `n.d.` in its book's parenthesis, not a series
    let (text, spans) = italics(
        "Colin Renfrew, “Monuments, Mobilization,” in *The Explanation of Culture Change*, ed. Colin Renfrew (University of Pittsburgh Press, n.d.), 91.",
    );
    let w = &parse(&text, &spans).cites[0].fields;
    assert_eq!(
        w.publisher.as_deref(),
        Some("University of Pittsburgh Press")
    );
    assert!(w.collection_title.is_none());
    // an identifier's colon is no place's
    let (text, spans) = italics(
        "Mihalis Dafermos and Igor Rodnianski, *The Wave Equation*, Preprint (arXiv:0709.2766, 2007), 70.",
    );
    let w = &parse(&text, &spans).cites[0].fields;
    assert!(w.publisher_place.is_none(), "{:?}", w.publisher_place);
    assert_eq!(w.publisher.as_deref(), Some("arXiv:0709.2766"));
    // a doubled period ending a title is punctuation, an ellipsis is the title's
    let p = parse("Nichols, “Getting to Know You..,” 172.", &[]);
    assert_eq!(
        p.cites[0].fields.title.as_deref(),
        Some("Getting to Know You")
    );
    let p = parse("Mosteller, “A Statistical Study...,” 132–33.", &[]);
    assert_eq!(
        p.cites[0].fields.title.as_deref(),
        Some("A Statistical Study...")
    );
}

/// A short form names its authors by surname alone and gives no date: a year-like number ending
/// it is its page; with given names, a bare year after a quoted title is a full note's date.
#[test]
fn a_year_like_page_ends_a_short_form() {
    let p = parse("Janich and Corbeil, “GM1 and GM3 Gangliosides”, 1786.", &[]);
    let c = &p.cites[0];
    assert_eq!(c.kind, Short);
    assert_eq!(c.locator.as_ref().map(|l| l.value.as_str()), Some("1786"));
    assert!(c.fields.issued.is_none());
    let p = parse("Janich and Corbeil, “GM1 and GM3 Gangliosides,” 1786.", &[]);
    assert_eq!(p.cites[0].kind, Short);
    // an author-date reference in prose is no short form with a page
    let p = parse("Certains auteurs (Dean, 1978).", &[]);
    assert!(p.cites.iter().all(|c| c.locator.is_none()));
    let p = parse(
        "D. W. Connolly, “Voice Data Entry in Air Traffic Control,” 1979, 197.",
        &[],
    );
    assert_eq!(p.cites[0].kind, Full);
    assert_eq!(p.cites[0].fields.year(), Some(1979));
    let p = parse(
        "Ken Rogoff, “The Exaggerated Death of Inflation,” 2014.",
        &[],
    );
    assert_eq!(p.cites[0].kind, Full);
    assert_eq!(p.cites[0].fields.year(), Some(2014));
    assert!(p.cites[0].locator.is_none());
    let p = parse("Rogoff, “Exaggerated Death,” 2014.", &[]);
    assert_eq!(p.cites[0].kind, Short);
    assert_eq!(
        p.cites[0].locator.as_ref().map(|l| l.value.as_str()),
        Some("2014")
    );
}

/// `n.d.` is the style's word for a missing date, which only a full citation prints: after a
/// quoted title it ends the title and makes the citation full (ibid renders a work without date
/// or container so), and it is never note `d`.
#[test]
fn no_date_after_a_quoted_title_is_a_full_citation() {
    let p = parse(
        "F. Rabiti et al., “A Model of Authorization for Next-Generation Database Systems,” n.d., 223–27.",
        &[],
    );
    let c = &p.cites[0];
    assert_eq!(c.kind, Full);
    assert_eq!(
        c.fields.title.as_deref(),
        Some("A Model of Authorization for Next-Generation Database Systems")
    );
    assert_eq!(c.locator.as_ref().map(|l| l.value.as_str()), Some("223–27"));
    let p = parse("Fred Rabiti, “A Model of Authorization,” n.d.", &[]);
    assert_eq!(p.cites[0].kind, Full);
    assert_eq!(
        p.cites[0].fields.title.as_deref(),
        Some("A Model of Authorization")
    );
    assert!(p.cites[0].locator.is_none(), "{:?}", p.cites[0].locator);
    // a note locator is still one
    let p = parse("Rabiti, “Model of Authorization,” n. 4.", &[]);
    assert_eq!(p.cites[0].kind, Short);
    assert_eq!(
        p.cites[0].locator.as_ref().map(|l| l.value.as_str()),
        Some("4")
    );
}

/// A semicolon inside an italic title is the title's; outside italics it still parts two
/// citations.
#[test]
fn a_semicolon_in_an_italic_title_does_not_part_citations() {
    let (text, spans) = italics(
        "John Cage and Joan Retallack, *Musicage: Cage Muses on Words, Art, Music; John Cage in Conversation with Joan Retallack* (Hanover, NH: University Press of New England, 1996), 8.",
    );
    let p = parse(&text, &spans);
    assert_eq!(p.cites.len(), 1, "{:?}", p.cites);
    assert_eq!(p.cites[0].kind, CiteKind::Full);
    assert!(p.cites[0]
        .fields
        .title
        .as_deref()
        .is_some_and(|t| t.ends_with("with Joan Retallack")));
    let (text, spans) =
        italics("Cage and Retallack, *Musicage*, 8; Pollan, *Omnivore’s Dilemma*, 3.");
    assert_eq!(parse(&text, &spans).cites.len(), 2);
}

/// A short form whose first surname is two words, before an italic title marked apart (as the
/// Markdown and HTML readers give it): the list of surnames, not a name and a title.
#[test]
fn a_two_word_surname_before_an_italic_title() {
    let (text, spans) = italics(
        "Vander Linden, Cumming, and Martin, *Expressing Local Rhetorical Relations*, 120–27.",
    );
    let p = parse(&text, &spans);
    let c = &p.cites[0];
    assert_eq!(c.kind, Short);
    assert_eq!(c.fields.author.len(), 3);
    assert_eq!(
        c.fields.title.as_deref(),
        Some("Expressing Local Rhetorical Relations")
    );
}

/// Shapes of real notes the grammar read wrongly (#14): a longer signal, a second citation after
/// `quoted in` or `and`, Ibid. in other languages, a body's name with lower-case words, a remark
/// in parentheses after the locator, an article's pages then the page cited.
#[test]
fn real_note_shapes() {
    let one = |note: &str| {
        let (text, spans) = italics(note);
        parse(&text, &spans)
    };
    let p = one("See, for example, Ruth Adler, *The Long Shore* (Chicago: University of Chicago Press, 1999), 12.");
    assert_eq!(p.cites.len(), 1);
    assert_eq!(
        p.cites[0].signal.as_ref().map(|s| s.name.as_str()),
        Some("see, for example")
    );
    assert_eq!(p.cites[0].fields.author[0].family.as_deref(), Some("Adler"));

    let p = one(
        "Samuel Dunn, *Harbor Lives* (London: Verso, 1988), 12, quoted in Orme, *Sea Walls*, 19.",
    );
    assert_eq!(p.cites.len(), 2, "{:?}", p.cites);
    assert_eq!(
        p.cites[0].locator.as_ref().map(|l| l.value.as_str()),
        Some("12")
    );
    assert_eq!(p.cites[1].kind, Short);
    assert_eq!(
        p.cites[1].signal.as_ref().map(|s| s.name.as_str()),
        Some("quoted in")
    );
    assert_eq!(
        p.cites[1].locator.as_ref().map(|l| l.value.as_str()),
        Some("19")
    );

    let p = one("Edwin Park, “Tides,” *Marine History* 4 (1990): 115–39 and Peter Lowell, *The Keepers* (New York: Norton, 2001), 7.");
    assert_eq!(p.cites.len(), 2, "{:?}", p.cites);
    assert_eq!(p.cites[1].fields.title.as_deref(), Some("The Keepers"));
    // `and` between two names is no second citation
    let p = one("Amis and Lyle, *Factories*, 12.");
    assert_eq!(p.cites.len(), 1);

    for word in ["Ebd., 45.", "Ibíd., 46.", "Ivi, p. 47.", "Ebenda, 48."] {
        let p = one(word);
        assert_eq!(p.cites.len(), 1, "{word}");
        assert_eq!(p.cites[0].kind, Ibid, "{word}");
    }
    let p = one("Müller, a.a.O., 12.");
    assert_eq!(p.cites[0].kind, OpCit);

    let p = one("Commission on Freedom of the Press, *A Free and Responsible Press* (Chicago: University of Chicago Press, 1947), 20.");
    assert_eq!(
        p.cites[0].fields.author[0].literal.as_deref(),
        Some("Commission on Freedom of the Press")
    );
    assert_eq!(
        p.cites[0].fields.title.as_deref(),
        Some("A Free and Responsible Press")
    );

    for (note, locator) in [
        ("Amis and Lyle, *Factories*, 167 (quoting Harland).", "167"),
        (
            "Porter, *Rivers of Salt*, 30 (see especially pp. 53–59).",
            "30",
        ),
        ("Porter, *Rivers of Salt*, 57–76, at 66.", "57–76, at 66"),
    ] {
        let p = one(note);
        assert_eq!(p.cites.len(), 1, "{note}");
        assert_eq!(p.cites[0].kind, Short, "{note}");
        assert_eq!(
            p.cites[0].locator.as_ref().map(|l| l.value.as_str()),
            Some(locator),
            "{note}"
        );
    }
}

/// A full citation written into a sentence of prose is read (#14's largest loss); prose that
/// only names a person and a title is not.
#[test]
fn a_full_citation_inside_prose() {
    let (text, spans) = italics(
        "The best account is Helen Porter, *Rivers of Salt* (Boston: Beacon Press, 2011), 45, which nevertheless ignores the northern trade.",
    );
    let p = parse(&text, &spans);
    assert!(p.commentary);
    assert_eq!(p.cites.len(), 1, "{:?}", p.cites);
    let c = &p.cites[0];
    assert_eq!(c.kind, Full);
    assert_eq!(c.fields.title.as_deref(), Some("Rivers of Salt"));
    assert_eq!(c.locator.as_ref().map(|l| l.value.as_str()), Some("45"));
    let (text, spans) = italics(
        "As Helen Porter argued in *Rivers of Salt*, the northern trade was small (as others agree).",
    );
    assert!(parse(&text, &spans).cites.is_empty());
}
